import { describe, expect, it } from "vitest";
import { cronExpressionProblem, dueTick, latestTickAtOrBefore, timezoneProblem, upcomingTicks } from "@/lib/deployments/cron-schedule";
import { runErrorOf } from "@/lib/deployments/execute-deployment-run";
import { ZDeploymentCreateSchema } from "@/lib/deployments/schemas";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/resource/parse";

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("a deployment's cron schedule", () => {
  it("lists the next ticks in the schedule's time zone", () => {
    const weekdays9 = { expression: "0 9 * * 1-5", timezone: "America/Los_Angeles" };
    // Friday 2026-12-04 18:00 UTC is 10:00 in Los Angeles: the next 9:00 is Monday's
    expect(iso(upcomingTicks(weekdays9, at("2026-12-04T18:00:00Z"), 2))).toEqual(["2026-12-07T17:00:00.000Z", "2026-12-08T17:00:00.000Z"]);
    expect(iso(upcomingTicks({ expression: "0 9 * * 1-5", timezone: "UTC" }, at("2026-12-04T18:00:00Z"), 1))).toEqual(["2026-12-07T09:00:00.000Z"]);
    // day-of-week 7 is Sunday, as 0 is; names work
    expect(iso(upcomingTicks({ expression: "0 0 * * 7", timezone: "UTC" }, at("2026-12-07T00:00:00Z"), 1))).toEqual(["2026-12-13T00:00:00.000Z"]);
    expect(iso(upcomingTicks({ expression: "0 0 1 jan,jul *", timezone: "UTC" }, at("2026-12-07T00:00:00Z"), 2))).toEqual(["2027-01-01T00:00:00.000Z", "2027-07-01T00:00:00.000Z"]);
  });

  it("keeps to the wall clock across daylight saving time changes, firing once a day", () => {
    const ny = { expression: "30 2 * * *", timezone: "America/New_York" };
    // 2026-03-08: 02:00 → 03:00 in New York; the 02:30 that does not exist fires at 03:30 EDT
    expect(iso(upcomingTicks(ny, at("2026-03-07T00:00:00Z"), 3))).toEqual(["2026-03-07T07:30:00.000Z", "2026-03-08T07:30:00.000Z", "2026-03-09T06:30:00.000Z"]);
    // 2026-11-01: 02:00 → 01:00; the 01:30 that occurs twice fires once
    const fall = { expression: "30 1 * * *", timezone: "America/New_York" };
    expect(iso(upcomingTicks(fall, at("2026-10-31T00:00:00Z"), 3))).toEqual(["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
    // 09:00 Paris is 08:00 UTC in winter and 07:00 UTC in summer
    const paris = { expression: "0 9 * * *", timezone: "Europe/Paris" };
    expect(iso(upcomingTicks(paris, at("2026-03-28T12:00:00Z"), 2))).toEqual(["2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
  });

  it("finds the tick due now: the latest one after the last handled, at or before now", () => {
    const hourly = { expression: "0 * * * *", timezone: "UTC" };
    expect(latestTickAtOrBefore(hourly, at("2026-12-07T13:00:00Z")).toISOString()).toBe("2026-12-07T13:00:00.000Z");
    expect(latestTickAtOrBefore(hourly, at("2026-12-07T13:59:59.999Z")).toISOString()).toBe("2026-12-07T13:00:00.000Z");
    expect(dueTick(hourly, at("2026-12-07T12:00:00Z"), at("2026-12-07T12:59:59Z"))).toBeNull();
    expect(dueTick(hourly, at("2026-12-07T12:00:00Z"), at("2026-12-07T13:00:00Z"))?.toISOString()).toBe("2026-12-07T13:00:00.000Z");
  });

  it("catches up after downtime with the most recent missed tick only", () => {
    const hourly = { expression: "0 * * * *", timezone: "UTC" };
    // down from 12:00 to 17:20: 13:00 … 17:00 were missed; only 17:00 runs
    expect(dueTick(hourly, at("2026-12-07T12:00:00Z"), at("2026-12-07T17:20:00Z"))?.toISOString()).toBe("2026-12-07T17:00:00.000Z");
    // and then nothing until 18:00
    expect(dueTick(hourly, at("2026-12-07T17:00:00Z"), at("2026-12-07T17:59:00Z"))).toBeNull();
  });

  it("accepts 5-field POSIX expressions only, saying what is wrong", () => {
    for (const good of ["* * * * *", "0 9 * * 1-5", "*/15 0-6 1,15 * *", "0 0 * * sun", "0 0 1 jan-jun *"]) expect(cronExpressionProblem(good)).toBeNull();
    expect(cronExpressionProblem("0 9 * *")).toBe("must have 5 fields (minute hour day-of-month month day-of-week), got 4");
    expect(cronExpressionProblem("0 0 9 * * *")).toContain("must have 5 fields");
    expect(cronExpressionProblem("@daily")).toContain("shortcuts");
    expect(cronExpressionProblem("0 0 L * *")).toContain("day of month field");
    expect(cronExpressionProblem("0 0 15W * *")).toContain("day of month field");
    expect(cronExpressionProblem("0 0 ? * *")).toContain("? and #");
    expect(cronExpressionProblem("0 0 * * 1#2")).toContain("? and #");
    expect(cronExpressionProblem("0 0 * * mon")).toBeNull();
    expect(cronExpressionProblem("0 0 * mon *")).toContain("month field");
    expect(cronExpressionProblem("61 * * * *")).toContain("61");
    expect(cronExpressionProblem("")).toContain("got 0");
  });

  it("accepts IANA time zone names only", () => {
    for (const good of ["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]) expect(timezoneProblem(good)).toBeNull();
    for (const bad of ["Mars/Olympus", "+01:00", "", "Europe/../Paris", "PST8PDT\n"]) expect(timezoneProblem(bad)).not.toBeNull();
  });
});

describe("deployment create input", () => {
  const body = (schedule: unknown) => ({
    agent: "agent_x",
    environment_id: "env_x",
    name: "nightly",
    initial_events: [{ type: "user.message", content: [{ type: "text", text: "go" }] }],
    schedule,
  });
  const problem = (value: unknown) => {
    try {
      parseWith(ZDeploymentCreateSchema, value);
      return null;
    } catch (error) {
      return (error as AppError).message;
    }
  };

  it("names the schedule field that is wrong", () => {
    expect(problem(body({ type: "cron", expression: "0 9 * * 1-5", timezone: "UTC" }))).toBeNull();
    expect(problem(body(null))).toBeNull();
    expect(problem(body({ type: "cron", expression: "not cron", timezone: "UTC" }))).toMatch(/^schedule\.expression: /);
    expect(problem(body({ type: "cron", expression: "0 9 * * *", timezone: "Nowhere/City" }))).toMatch(/^schedule\.timezone: /);
    expect(problem(body({ type: "interval", expression: "0 9 * * *", timezone: "UTC" }))).toMatch(/^schedule\.type: /);
    expect(problem(body({ type: "cron", expression: "0 9 * * *" }))).toMatch(/^schedule\.timezone: /);
  });

  it("takes 1 to 50 initial events of the kinds a deployment may send", () => {
    expect(problem({ ...body(null), initial_events: [] })).toMatch(/^initial_events: at least 1/);
    expect(problem({ ...body(null), initial_events: [{ type: "user.interrupt" }] })).toMatch(/^initial_events\[0\]\.type: must be one of user\.message/);
    expect(problem({ ...body(null), name: " " })).toMatch(/^name: must not be empty/);
    expect(problem({ ...body(null), extra: 1 })).toMatch(/unknown field "extra"/);
  });
});

describe("a run's error", () => {
  it("is the run error type the failed check carries, or a rejected creation, or unknown", () => {
    expect(runErrorOf(new AppError("invalid_request", "agent: agent_x is archived", { runError: "agent_archived_error" }))).toEqual({ type: "agent_archived_error", message: "agent: agent_x is archived" });
    expect(runErrorOf(new AppError("rate_limited", "slow down")).type).toBe("session_rate_limited_error");
    expect(runErrorOf(new AppError("invalid_request", "bad")).type).toBe("session_creation_rejected_error");
    // an unexpected failure says nothing of its cause to the client
    expect(runErrorOf(new Error("connection refused to 10.0.0.5"))).toEqual({ type: "unknown_error", message: "the session could not be created" });
  });
});
