import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { titleFromFirstMessage } from "@/lib/sessions/ui/list-session-rows";
import { parseSessionListQuery, readSessionListQuery, SEARCH_MAX, sessionListSearch } from "@/lib/sessions/ui/session-list-query";

// The sessions list's address: what it reads from it, what it ignores (and says so), and the
// address it builds for the next page.

describe("the sessions list's query, read from the address", () => {
  const agent = newId("agent");
  const user = newId("user");
  const key = newId("apiKey");
  const session = newId("session");

  it("reads search, status, agent, person and cursor", () => {
    expect(readSessionListQuery({ q: "  deploy  ", status: "running", agent, by: user, after: session })).toEqual({
      query: { q: "deploy", status: "running", agent, by: user, after: session },
      ignored: [],
    });
    expect(readSessionListQuery({ by: key }).query).toEqual({ by: key });
  });

  it("treats empty values as no filter, and leaves other parameters alone", () => {
    expect(readSessionListQuery({ q: "   ", status: "", agent: "", deleted: session, page: "x" })).toEqual({ query: {}, ignored: [] });
  });

  it("ignores a bad value and says which and why, keeping the rest", () => {
    const { query, ignored } = readSessionListQuery({ status: "sleeping", agent: "agent_nope", by: "team_1", after: "sesn_'; DROP", q: "ok" });
    expect(query).toEqual({ q: "ok" });
    expect(ignored).toEqual([
      { name: "status", value: "sleeping", reason: "must be one of idle, running, rescheduling, terminated" },
      { name: "agent", value: "agent_nope", reason: "must be an agent id (agent_…)" },
      { name: "by", value: "team_1", reason: "must be a member (user_…) or an API key (apikey_…)" },
      { name: "after", value: "sesn_'; DROP", reason: "must be a session id (sesn_…)" },
    ]);
  });

  it("takes the first of a repeated parameter, and one cursor of two", () => {
    const other = newId("session");
    const { query, ignored } = readSessionListQuery({ status: ["idle", "running"], after: session, before: other });
    expect(query).toEqual({ status: "idle", after: session });
    expect(ignored).toEqual([{ name: "before", value: other, reason: "a page starts either after or before a session, not both" }]);
  });

  it("cuts a long search rather than dropping it", () => {
    const { query, ignored } = readSessionListQuery({ q: "a".repeat(5_000) });
    expect(query.q).toHaveLength(SEARCH_MAX);
    expect(ignored).toEqual([]);
  });

  it("refuses a bad query given to the use-case directly, naming the field", () => {
    const codeAndMessage = (value: unknown) => {
      try {
        parseSessionListQuery(value);
        return null;
      } catch (error) {
        return error instanceof AppError ? `${error.code} ${error.message}` : String(error);
      }
    };
    expect(codeAndMessage({ status: "sleeping" })).toBe("invalid_request query.status: must be one of idle, running, rescheduling, terminated");
    expect(codeAndMessage({ q: "x".repeat(SEARCH_MAX + 1) })).toBe(`invalid_request query.q: use at most ${SEARCH_MAX} characters`);
    expect(codeAndMessage({ order: "asc" })).toBe('invalid_request query: unknown field "order"');
    expect(codeAndMessage({ after: session, before: session })).toBe("invalid_request query.before: give after or before, not both");
    expect(codeAndMessage({ status: "idle", agent })).toBeNull();
  });

  it("builds the address of a page with its filters, leaving empty ones out", () => {
    expect(sessionListSearch({})).toBe("");
    expect(sessionListSearch({ q: "a b&c", status: "idle", after: session })).toBe(`?q=a+b%26c&status=idle&after=${session}`);
    // what it builds reads back the same
    expect(readSessionListQuery(Object.fromEntries(new URLSearchParams(sessionListSearch({ q: "50% off", by: key, before: session })))).query).toEqual({
      q: "50% off",
      by: key,
      before: session,
    });
  });
});

describe("an untitled session's title, from its first message", () => {
  it("is the message when short, cut at a word with an ellipsis when long, and nothing without one", () => {
    expect(titleFromFirstMessage(null)).toBeNull();
    expect(titleFromFirstMessage("Fix the build")).toBe("Fix the build");
    const long = "Please look into why the nightly deploy of the billing service failed twice this week and fix it";
    const title = titleFromFirstMessage(long)!;
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title.endsWith("…")).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(title.at(-2)).not.toBe(" ");
    expect(titleFromFirstMessage("x".repeat(300))).toBe(`${"x".repeat(79)}…`);
  });
});
