import pg from "pg";
import type { Browser, Page } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";
import { apiClient } from "./api-client";
import { ReplayPage } from "./pages/replay-page";

// The replay player in Debian's Chromium, on a shared session of two turns a minute apart (the
// log's times are set in the database: a real minute of waiting would make a slow test). It opens
// at the start; the scrubber is in time, with ticks; a minute of idling plays as a short pause;
// `#t=<seconds>` opens a moment and follows the player; the keyboard drives it and says what it did;
// and it fits a phone.

const available = await requirePostgres("the replay player suite");
const screenshot = screenshotter("replay");
const IDLE_MS = 60_000;
const STEP_MS = 300;

type TEvent = { id: string; type: string; processed_at: string };

describe.runIf(available)("the replay player", () => {
  let app: AppServer;
  let browser: Browser;
  let link: string;
  /** The log as shared, each event with its time from the first. */
  let log: Array<TEvent & { seq: number; t: number }>;
  /** The seq of the event at an index of the log (seqs skip events a guest does not see). */
  const seqAt = (index: number) => log.at(index)!.seq;
  let secondUser: number; // index in the log
  const api = apiClient(() => ({ baseUrl: app.url, apiKey: app.apiKey }));

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" }); // no ANTHROPIC_API_KEY: the built-in demo model answers
    browser = await launchChromium();
    const agent = (await api("POST", "/v1/agents", { name: "Replay demo", model: "claude-sonnet-4-5" })) as { id: string };
    const environment = (await api("POST", "/v1/environments", { name: "replay env" })) as { id: string };
    const session = (await api("POST", "/v1/sessions", { agent: agent.id, environment_id: environment.id, title: "Two turns" })) as { id: string };
    const events = async () => ((await api("GET", `/v1/sessions/${session.id}/events?limit=1000`)) as { data: TEvent[] }).data;
    for (const [n, text] of ["first question", "second question"].entries()) {
      await api("POST", `/v1/sessions/${session.id}/events`, { events: [{ type: "user.message", content: [{ type: "text", text }] }] });
      await until("the end of the turn", async () => (await events()).filter((e) => e.type === "session.status_idle").length > n, { timeoutMs: WAIT_MS, intervalMs: 50 });
    }
    // the log's times: STEP_MS apart, and a minute of idling before the second question
    const db = new pg.Client({ connectionString: app.databaseUrl! });
    await db.connect();
    try {
      await db.query(
        `UPDATE "SessionEvent" SET "processedAt" = timestamp '2026-01-01 00:00:00' + ("seq" - 1) * interval '${STEP_MS} milliseconds'
           + CASE WHEN "seq" >= (SELECT min("seq") FROM "SessionEvent" WHERE "sessionId" = $1 AND "type" = 'user.message' AND "seq" > (SELECT min("seq") FROM "SessionEvent" WHERE "sessionId" = $1 AND "type" = 'user.message'))
                  THEN interval '${IDLE_MS} milliseconds' ELSE interval '0' END
         WHERE "sessionId" = $1`,
        [session.id],
      );
    } finally {
      await db.end();
    }
    link = ((await api("POST", `/v1/sessions/${session.id}/share_links`)) as { path: string }).path;
    // the log as a guest sees it: the player's events
    const shared = (await (await fetch(new URL(`${link}/events?after_seq=0`, app.url))).json()) as { events: Array<TEvent & { seq: number }>; has_more: boolean };
    expect(shared.has_more).toBe(false);
    const first = Date.parse(shared.events[0]!.processed_at);
    log = shared.events.map((e) => ({ ...e, t: Date.parse(e.processed_at) - first }));
    secondUser = log.findLastIndex((e) => e.type === "user.message");
    expect(secondUser).toBeGreaterThan(0);
    expect(log[secondUser]!.t - log[secondUser - 1]!.t).toBeGreaterThan(IDLE_MS);
  });

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const open = async (hash = "", viewport = { width: 1280, height: 800 }): Promise<ReplayPage> => {
    const page: Page = await (await browser.newContext({ viewport })).newPage();
    const replay = new ReplayPage(page);
    await replay.goto(`${link}${hash}`, app.url);
    return replay;
  };
  const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;
  const hashOf = (ms: number) => `#t=${(ms / 1000).toString()}`;

  it("opens at the start, with a scrubber in time and a tick for each user message", async () => {
    const replay = await open();
    await replay.waitForPosition("At the start");
    const span = log.at(-1)!.t;
    expect(await replay.clock()).toBe(`0:00 / ${clock(span)}`);
    expect(await replay.hash()).toBe("");

    // the ticks stand at the messages' times: the second one near the end, after the idle minute
    // (by index it would sit about half-way along)
    await expect.poll(() => replay.ticks("user").count()).toBe(2);
    const track = (await replay.scrubber.boundingBox())!;
    const [firstTick, secondTick] = await Promise.all([0, 1].map(async (i) => (await replay.ticks("user").nth(i).boundingBox())!));
    const along = (box: { x: number; width: number }) => (box.x + box.width / 2 - track.x - 8) / (track.width - 16);
    expect(along(firstTick!)).toBeCloseTo(log.find((e) => e.type === "user.message")!.t / span, 2);
    expect(along(secondTick!)).toBeCloseTo(log[secondUser]!.t / span, 2);
    expect(log[secondUser]!.t / span).toBeGreaterThan(0.9);
    expect(secondUser / log.length).toBeLessThan(0.75);

    // a click half-way along the scrubber is half-way in time: in the idle minute, the first turn all shown
    await replay.scrubTo(0.5);
    await replay.waitForPosition(`Event #${seqAt(secondUser - 1)}`);
    expect(await replay.hash()).toBe(hashOf(log[secondUser - 1]!.t));
    // the thumb stays where it was put, in the idle minute
    expect(await replay.clock()).toBe(`${clock(Number(await replay.scrubber.inputValue()))} / ${clock(span)}`);
    expect(Number(await replay.scrubber.inputValue()) / span).toBeCloseTo(0.5, 1);
    await screenshot(replay.page, "desktop-scrubbed");
    await replay.page.context().close();
  });

  it("opens a deep link at its moment, and the address follows a seek and a pause without adding history", async () => {
    const target = log[secondUser]!;
    const replay = await open(`#t=${target.t / 1000}`);
    await replay.waitForPosition(`Event #${target.seq}`);
    await replay.page.getByText("second question", { exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await replay.clock()).toMatch(new RegExp(`^${clock(target.t)} / `));
    const history = await replay.page.evaluate(() => window.history.length);

    await replay.press("ArrowLeft");
    await replay.waitForPosition(`Event #${seqAt(secondUser - 1)}`);
    expect(await replay.hash()).toBe(hashOf(log[secondUser - 1]!.t));
    await replay.press("Home");
    await replay.waitForPosition("At the start");
    expect(await replay.hash()).toBe("");
    await replay.press("ArrowRight");
    await replay.waitForPosition(`Event #${seqAt(0)}`);
    expect(await replay.hash()).toBe("#t=0");

    // playing, then paused: the address holds where it stopped
    await replay.press("Space");
    await replay.page.getByRole("button", { name: "Pause", exact: true }).waitFor({ timeout: WAIT_MS });
    await replay.press("Space");
    await replay.page.getByRole("button", { name: "Play", exact: true }).waitFor({ timeout: WAIT_MS });
    const at = await replay.position();
    const seq = Number(at.replace("Event #", ""));
    expect(await replay.hash()).toBe(hashOf(log.find((e) => e.seq === seq)!.t));
    expect(await replay.page.evaluate(() => window.history.length)).toBe(history);

    // a hash typed into the address moves the player
    await replay.page.evaluate((hash) => (window.location.hash = hash), hashOf(log.at(-1)!.t));
    await replay.waitForPosition(`Event #${seqAt(-1)}`);
    await replay.page.context().close();
  });

  it("plays through the idle minute in a short pause, at the speeds the keyboard picks, and says so", async () => {
    const replay = await open();
    await replay.waitForPosition("At the start");
    expect(await replay.speed.inputValue()).toBe("1");
    expect(await replay.speed.locator("option").allTextContents()).toEqual(["1×", "2×", "4×", "8×", "16×"]);

    await replay.press("3");
    expect(await replay.speed.inputValue()).toBe("4");
    await expect.poll(() => replay.announcer.textContent()).toBe("Speed 4×");
    await replay.press("+");
    await replay.press("+");
    await replay.press("+");
    expect(await replay.speed.inputValue()).toBe("16");
    await replay.press("-");
    expect(await replay.speed.inputValue()).toBe("8");
    await expect.poll(() => replay.announcer.textContent()).toBe("Speed 8×");
    await replay.press("1");
    expect(await replay.speed.inputValue()).toBe("1");

    // at 1×, the whole session (a minute and more) plays in a few seconds: the idle minute is skipped
    const started = Date.now();
    await replay.press("Space");
    await expect.poll(() => replay.announcer.textContent()).toBe("Playing at 1×");
    await replay.waitForPosition(`Event #${seqAt(-1)}`);
    expect(Date.now() - started).toBeLessThan(log.length * STEP_MS + 10_000);
    await replay.page.getByRole("button", { name: "Play", exact: true }).waitFor({ timeout: WAIT_MS });

    // Shift+← goes back 10 s of the session's time: from the end, into the idle minute
    await replay.press("Shift+ArrowLeft");
    await replay.waitForPosition(`Event #${seqAt(secondUser - 1)}`);
    await expect.poll(() => replay.announcer.textContent()).toBe(`Event #${seqAt(secondUser - 1)} at ${clock(log[secondUser - 1]!.t)}`);
    // Shift+→ from the start: the first 10 s, which hold the whole first turn
    await replay.press("Home");
    await replay.waitForPosition("At the start");
    await replay.press("Shift+ArrowRight");
    await replay.waitForPosition(`Event #${seqAt(secondUser - 1)}`);
    await replay.press("End");
    await replay.waitForPosition(`Event #${seqAt(-1)}`);

    // the keys are the field's while typing in one
    await replay.page.evaluate(() => {
      const input = document.createElement("input");
      input.setAttribute("aria-label", "Notes");
      document.querySelector("footer")!.append(input);
    });
    await replay.page.getByRole("textbox", { name: "Notes" }).pressSequentially(" 4+ ");
    await replay.page.getByRole("textbox", { name: "Notes" }).press("Home");
    expect(await replay.page.getByRole("textbox", { name: "Notes" }).inputValue()).toBe(" 4+ ");
    expect(await replay.speed.inputValue()).toBe("1");
    expect(await replay.position()).toBe(`Event #${seqAt(-1)}`);
    await screenshot(replay.page, "desktop-end");
    await replay.page.context().close();
  });

  it("fits a phone: header, timeline and every control inside the screen", async () => {
    const replay = await open(hashOf(log[secondUser]!.t), { width: 390, height: 844 });
    await replay.waitForPosition(`Event #${log[secondUser]!.seq}`);
    for (const control of [replay.playButton, replay.page.getByRole("button", { name: "Previous event" }), replay.page.getByRole("button", { name: "Next event" }), replay.scrubber, replay.speed, replay.page.getByRole("heading", { level: 1 })]) {
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }
    expect(await replay.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await replay.scrubber.boundingBox())!.width).toBeGreaterThan(250);
    await screenshot(replay.page, "phone");
    await replay.page.context().close();
  });
});
