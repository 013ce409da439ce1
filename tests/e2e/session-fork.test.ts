import path from "node:path";
import type { Browser } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, SCREENSHOTS, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { NewSessionPage } from "./pages/new-session-page";
import { ReplayPage } from "./pages/replay-page";
import { SessionPage } from "./pages/session-page";
import { signUp } from "./sign-up";
import { apiClient } from "./api-client";

// "Fork from here" in Debian's Chromium against the real server and its built-in demo model: a
// conversation of two questions is forked at the first answer; the new session's page says where it
// came from, holds the copied conversation only up to there, and answers a new message; the
// original keeps everything. The replay player forks too, for a member of the team.

const screenshot = screenshotter("session-fork");
const PERSON = { name: "Fern Fork", email: "fern@example.com", password: "branches-everywhere" };

describe("forking a session from the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let session: SessionPage;
  let team: TTeam;
  let apiKey: string;
  let originalId: string;

  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    app = await startAppServer(); // no ANTHROPIC_API_KEY: the built-in demo model answers
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    team = await signUp(page, app, PERSON);
    session = new SessionPage(page, team);
    const keys = new ApiKeysPage(page, team);
    await keys.goto();
    apiKey = await keys.createKey("fork test");
    await api("POST", "/v1/agents", { name: "Fork helper", model: "claude-sonnet-4-5" });
  });

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("forks at the first answer: the new session shows where it came from and the copied conversation, and takes a new message", async () => {
    const form = new NewSessionPage(session.page, team);
    await form.goto();
    await form.agent.waitFor();
    await form.title.fill("Fork source");
    originalId = await form.start();
    await session.live();
    await session.send("alpha question");
    await session.expectAgentMessage('You said: "alpha question"');
    await session.waitForStatus("idle");
    await session.send("beta question");
    await session.expectAgentMessage('You said: "beta question"');
    await session.waitForStatus("idle");

    const seqInOriginal = await session.agentMessage('You said: "alpha question"').getAttribute("data-seq");
    const forkId = await session.forkFrom(session.agentMessage('You said: "alpha question"'));
    expect(forkId).not.toBe(originalId);
    // the copies keep the original's numbering
    expect(await session.agentMessage('You said: "alpha question"').getAttribute("data-seq")).toBe(seqInOriginal);
    await session.forkedFrom.waitFor({ timeout: WAIT_MS });
    expect(await session.forkedFrom.textContent()).toMatch(/^Forked from Fork source at event #\d+$/);
    // the copied conversation, up to the fork point only
    await session.expectAgentMessage('You said: "alpha question"');
    expect(await session.items("user_message").allTextContents()).toEqual([expect.stringContaining("alpha question")]);
    expect(await session.agentMessage("beta question").count()).toBe(0);
    expect(await session.status()).toBe("idle");
    await screenshot(session.page, "forked-session");

    // ready for a new message, answered in the fork
    await session.send("gamma question");
    await session.expectAgentMessage('You said: "gamma question"');
    await session.waitForStatus("idle");
    expect(await session.items("user_message").count()).toBe(2);

    // the way back: the original, untouched
    await session.openOriginal(originalId);
    expect(await session.forkedFrom.count()).toBe(0);
    await session.expectAgentMessage('You said: "beta question"');
    expect(await session.agentMessage("gamma question").count()).toBe(0);
    const events = (await api("GET", `/v1/sessions/${originalId}/events`)) as { data: Array<{ type: string }> };
    expect(events.data.filter((e) => e.type === "user.message")).toHaveLength(2);
  });

  it("on a phone (no hover), every item shows its Fork from here without a pointer over it", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await session.page.context().storageState() });
    const page = new SessionPage(await phone.newPage(), team);
    await page.goto(originalId);
    await page.expectAgentMessage('You said: "beta question"');
    const button = page.agentMessage('You said: "beta question"').getByRole("button", { name: /^Fork from here/ });
    expect(await button.evaluate((el) => getComputedStyle(el.parentElement!.parentElement!).opacity)).toBe("1");
    // the item itself (a full-page shot lays the windowed list out again at another height)
    await page.agentMessage('You said: "beta question"').screenshot({ path: path.join(SCREENSHOTS, "session-fork-phone-item.png") });
    await screenshot(page.page, "phone");
    await phone.close();
  });

  it("forks from the replay player, for a member of the team, at the player's position", async () => {
    const link = (await api("POST", `/v1/sessions/${originalId}/share_links`)) as { path: string };
    const replay = new ReplayPage(session.page);
    await replay.goto(link.path, app.url);
    const events = (await api("GET", `/v1/sessions/${originalId}/events`)) as { data: Array<{ type: string; id: string }> };
    const firstIdle = events.data.findIndex((e) => e.type === "session.status_idle");
    // the replay numbers events by seq; the API's first events are the log's first (no internal ones before)
    await replay.seek(firstIdle + 1);
    const forkId = await replay.fork();
    expect(forkId).not.toBe(originalId);
    await session.live();
    expect(await session.forkedFrom.textContent()).toBe(`Forked from Fork source at event #${firstIdle + 1}`);
    expect(await session.items("user_message").allTextContents()).toEqual([expect.stringContaining("alpha question")]);
    const forked = (await api("GET", `/v1/sessions/${forkId}`)) as { forked_from: { session_id: string; event_id: string } };
    expect(forked.forked_from).toEqual({ session_id: originalId, event_id: events.data[firstIdle]!.id });

    // a guest (no sign-in) sees no fork button
    const guest = await (await browser.newContext()).newPage();
    const guestReplay = new ReplayPage(guest);
    await guestReplay.goto(link.path, app.url);
    await guestReplay.seek(firstIdle + 1);
    expect(await guestReplay.forkButton.count()).toBe(0);
    await guest.context().close();
  });
});
