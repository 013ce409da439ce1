import type { Browser } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter } from "@/tests/fixtures/browser";
import { startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { ReplayPage } from "./pages/replay-page";
import { SessionPage } from "./pages/session-page";
import { signUp } from "./sign-up";
import { waitUntil } from "./wait-until";
import { apiClient } from "./api-client";

// A teammate watches a multi-agent session in Debian's Chromium, against the real server and a
// scripted model: a coordinator starts three threads; their lanes appear as they start, each with
// its status and cost, while one thread still works and the others are done; choosing a lane shows
// only that thread's conversation, and "All" everyone's again. The replay player of a share link
// plays the same lanes.

const screenshot = screenshotter("session-lanes");
const PERSON = { name: "Lane Watcher", email: "lanes@example.com", password: "watches-every-thread" };

/** The researcher's answer waits for the test, so that its lane is seen running while the others are done. */
let releaseResearcher: () => void = () => {};
const researcherReleased = new Promise<void>((resolve) => (releaseResearcher = resolve));

async function respond(request: MessagesRequest): Promise<TTurn> {
  const system = JSON.stringify(request.body.system ?? "");
  const said = JSON.stringify(request.body.messages);
  if (system.includes("You research.")) {
    await researcherReleased;
    return { content: [{ type: "text", text: "X is 42." }] };
  }
  if (system.includes("You check.")) return { content: [{ type: "text", text: "Checked: the sources agree." }] };
  if (system.includes("You write.")) return { content: [{ type: "text", text: "Drafted the summary." }] };
  if (said.includes("Threads settled")) return { content: [{ type: "text", text: "Final: X is 42." }] };
  if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
  return {
    content: [
      { type: "tool_use", name: "start_thread", input: { agent: "researcher", task: "Find X." } },
      { type: "tool_use", name: "start_thread", input: { agent: "checker", task: "Check the sources." } },
      { type: "tool_use", name: "start_thread", input: { agent: "writer", task: "Draft a summary." } },
    ],
  };
}

describe("a multi-agent session in the web app", () => {
  let model: MessagesApiServer;
  let app: AppServer;
  let browser: Browser;
  let team: TTeam;
  let apiKey: string;
  let session: SessionPage;
  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    model = await startMessagesApiServer({ interChunkDelayMs: 1, respond });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: model.url } });
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    team = await signUp(page, app, PERSON);
    session = new SessionPage(page, team);
  });
  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });
  afterAll(async () => {
    releaseResearcher();
    await browser?.close();
    await app?.stop();
    await model?.close();
  });

  it("shows a lane per thread filling live, with status and cost, and filters the conversation to one", async () => {
    const keys = new ApiKeysPage(session.page, team);
    await keys.goto();
    apiKey = await keys.createKey("lanes test");
    const agent = async (name: string, system: string, extra: Record<string, unknown> = {}) =>
      (await api("POST", "/v1/agents", { name, model: "claude-sonnet-4-6", system, tools: [{ type: "agent_toolset_20260401" }], ...extra })).id as string;
    const roster = [await agent("researcher", "You research."), await agent("checker", "You check."), await agent("writer", "You write.")];
    const lead = await agent("Lead", "You coordinate.", { multiagent: { type: "coordinator", agents: roster } });
    const environmentId = (await api("POST", "/v1/environments", { name: "lanes env" })).id;
    const sessionId = (await api("POST", "/v1/sessions", { agent: lead, environment_id: environmentId, title: "Three threads" })).id;

    await session.goto(sessionId);
    expect(await session.lanes.lanes.count()).toBe(0); // one agent so far: no lanes
    await api("POST", `/v1/sessions/${sessionId}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "What is X?" }] }] });

    // the lanes fill as the threads start and finish: the checker and the writer are done while the researcher works
    const byName = async () => Object.fromEntries((await session.lanes.shown()).map((lane) => [lane.name, lane]));
    await waitUntil("the checker and the writer done, the researcher running", async () => {
      const lanes = await byName();
      return lanes.checker?.status === "idle" && lanes.writer?.status === "idle" && lanes.researcher?.status === "running";
    });
    let lanes = await session.lanes.shown();
    expect(lanes.map((lane) => lane.name)).toEqual(["Lead", "researcher", "checker", "writer"]);
    expect(lanes[0]!.status).toBe("running");
    for (const done of lanes.slice(2)) expect(done.cost).toMatch(/^\$0\.0*[1-9]/); // each thread's own requests, priced
    expect(lanes[1]!.cost).toBe("$0.00"); // the researcher's request has not answered yet
    await screenshot(session.page, "threads-running");

    releaseResearcher();
    await session.expectAgentMessage("Final: X is 42.");
    await waitUntil("every lane idle", async () => (await session.lanes.shown()).every((lane) => lane.status === "idle"));
    lanes = await session.lanes.shown();
    expect(lanes[1]!.cost).toMatch(/^\$0\.0*[1-9]/);

    // one lane: only the researcher's conversation
    const everyone = (await session.rendered()).total;
    await session.lanes.choose("researcher");
    expect(await session.lanes.lane("researcher").getAttribute("aria-pressed")).toBe("true");
    await waitUntil("only the researcher's messages", async () => (await session.items("agent_message").allTextContents()).length === 1);
    // the answer is the researcher's, named as such
    expect(await session.items("agent_message").allTextContents()).toEqual([expect.stringMatching(/researcher.*X is 42\./s)]);
    expect(await session.items("user_message").count()).toBe(0);
    expect((await session.rendered()).total).toBe(2); // its model request and its answer
    await screenshot(session.page, "researcher-lane");

    // and back to everyone
    await session.lanes.showAll();
    await session.expectAgentMessage("Checked: the sources agree.");
    expect((await session.rendered()).total).toBe(everyone);
    expect(everyone).toBeGreaterThan(8);

    // the replay: the lanes as of the player's position, filtered the same way
    const link = await session.createShareLink();
    const replay = new ReplayPage(session.page);
    await replay.goto(link, app.url);
    await replay.waitForPosition("At the start");
    expect(await replay.lanes.lanes.count()).toBe(0); // no thread had started
    await replay.press("End");
    await waitUntil("the lanes at the end", async () => (await replay.lanes.shown()).length === 4);
    expect(await replay.lanes.shown()).toEqual(lanes);
    await replay.lanes.choose("researcher");
    await waitUntil("the researcher's items only", async () => (await replay.itemCount()) === 2);
    await replay.lanes.showAll();
    await waitUntil("everyone's items", async () => (await replay.itemCount()) === everyone);
  });
});
