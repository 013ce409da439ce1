import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { timelineOf, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, SCREENSHOTS, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { echoResponder, lastUserText, startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { InvitationPage } from "./pages/invitation-page";
import { MembersPage } from "./pages/members-page";
import { NewSessionPage } from "./pages/new-session-page";
import { NewTeamPage } from "./pages/new-team-page";
import { NotFoundPage } from "./pages/not-found-page";
import { ReplayPage } from "./pages/replay-page";
import { SessionPage } from "./pages/session-page";
import { SessionsListPage } from "./pages/sessions-list-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { signUp } from "./sign-up";
import { waitUntil } from "./wait-until";
import { apiClient } from "./api-client";

// The session pages in Debian's Chromium against the real server, with a scripted Messages API as
// the model: two teammates (the second invited by link) watch one session live, see each other,
// see the answer stream in token by token, reload in the middle of a turn and miss nothing,
// approve a tool that asks (it runs in the real bubblewrap sandbox), answer a custom tool,
// interrupt a turn that hangs, share the session by a link they then revoke — and when the server
// restarts, the pages come back by themselves with what happened while they were away. The browser
// reaches the server through a forwarding port, so its origin stays the same across the restart.

const screenshot = screenshotter("sessions");
const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine" };
const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "compilers-rule" };
const AGENT = "Pair helper";
/** Long enough to be seen arriving: about 40 deltas, one every 60 ms. */
const SLOW_ANSWER = "Here is a slow answer, written a few characters at a time so that everyone watching can see it arrive token by token, live.";

/** The scripted model: what it answers depends on what it was told. */
function respond(request: MessagesRequest): TTurn {
  // the outcome's grader: a revision first, then satisfied
  if ((request.body.tools ?? []).some((tool) => (tool as { name?: string }).name === "submit_verdict")) {
    const revised = JSON.stringify(request.body.messages).includes("[earlier verdict");
    const verdict = revised ? { result: "satisfied", explanation: "It greets twice now." } : { result: "needs_revision", explanation: "Greet twice, please." };
    return { content: [{ type: "tool_use", name: "submit_verdict", input: verdict }] };
  }
  const last = request.body.messages.at(-1);
  if (last && typeof last.content !== "string" && last.content.some((block) => block.type === "tool_result")) return echoResponder(request);
  // the newest text only: messages of an interrupted turn reach the model together with the next one
  const blocks = last && typeof last.content !== "string" ? last.content : [];
  const newest = blocks.filter((block) => block.type === "text").at(-1);
  const said = newest?.type === "text" ? newest.text : lastUserText(request.body);
  if (said.includes("slowly")) return { content: [{ type: "text", text: SLOW_ANSWER }], interChunkDelayMs: 60 };
  if (said.includes("hang")) return { hang: true };
  if (said.includes("clean up")) return { content: [{ type: "text", text: "Cleaning up." }, { type: "tool_use", name: "bash", input: { command: "echo cleanup-ran > cleaned" } }] };
  if (said.includes("run the build")) return { content: [{ type: "text", text: "Running it." }, { type: "tool_use", name: "bash", input: { command: "echo sandbox-says-hi | tee built; echo build-warning >&2" } }] };
  if (said.includes("look up")) return { content: [{ type: "tool_use", name: "lookup_customer", input: { email: "ada@example.com" } }] };
  return { content: [{ type: "text", text: `You said: ${said}` }] };
}

/** A fixed address that forwards every connection to the server of the moment. */
class StableOrigin {
  private readonly server = net.createServer((client) => {
    const upstream = net.connect(this.targetPort, "127.0.0.1");
    this.open.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream).pipe(client);
  });
  private readonly open = new Set<net.Socket>();
  targetPort = 0;

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }
  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe("the session pages, live, in a browser", () => {
  let model: MessagesApiServer;
  let app: AppServer;
  let dataDir: string;
  const origin = new StableOrigin();
  let base: string;
  let team: TTeam;
  let browser: Browser;
  let adaContext: BrowserContext;
  let graceContext: BrowserContext;
  let ada: SessionPage;
  let grace: SessionPage;
  let apiKey: string;
  let sessionId: string;

  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));
  const log = async (): Promise<TTimelineEvent[]> => {
    // the API lists events in log order without their seqs; the fold needs only the order
    const page = (await api("GET", `/v1/sessions/${sessionId}/events?limit=1000`)) as { data: Array<Omit<TTimelineEvent, "seq">> };
    return page.data.map((event, i) => ({ ...event, seq: i + 1 }) as TTimelineEvent);
  };

  beforeAll(async () => {
    model = await startMessagesApiServer({ respond, chunkSize: 3 });
    // the embedded database in a directory of our own, so a restarted server finds everything again
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-ui-"));
    fs.chmodSync(dataDir, 0o711);
    base = await origin.listen();
    team = { origin: base, slug: "ada-lovelace" };
    await startServer();
    browser = await launchChromium();
    adaContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    graceContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // both watch the session in Ada's team (Grace joins it by invitation)
    ada = new SessionPage(await adaContext.newPage(), team);
    grace = new SessionPage(await graceContext.newPage(), team);
  });

  // a failure on a loaded machine is only explained by what the server said meanwhile
  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await origin.close();
    await model?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function startServer(): Promise<void> {
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "x", ANTHROPIC_BASE_URL: model.url, DATA_DIR: dataDir } });
    origin.targetPort = Number(new URL(app.url).port);
  }

  it("signs up, makes an agent with an API key, and invites a teammate by link", async () => {
    await signUp(ada.page, { url: base }, ADA);
    expect(new URL(ada.page.url()).pathname).toBe("/t/ada-lovelace");
    const sessions = new SessionsListPage(ada.page, team);
    await sessions.openFromNav("Sessions");
    await sessions.noSessions.waitFor();

    const apiKeys = new ApiKeysPage(ada.page, team);
    await apiKeys.goto();
    apiKey = await apiKeys.createKey("browser test");
    expect(apiKey).toMatch(/^oma_/);
    await api("POST", "/v1/agents", {
      name: AGENT,
      model: "claude-sonnet-4-5",
      tools: [
        { type: "agent_toolset_20260401", configs: [{ name: "bash", permission_policy: { type: "always_ask" } }] },
        { type: "custom", name: "lookup_customer", description: "Finds a customer by email", input_schema: { type: "object", properties: { email: { type: "string" } } } },
      ],
    });

    const members = new MembersPage(ada.page, team);
    await members.goto();
    const invitationUrl = await members.createInvitationLink();
    await signUp(grace.page, { url: base }, GRACE);
    const invitation = new InvitationPage(grace.page);
    await invitation.goto(invitationUrl);
    await invitation.join();
    await grace.page.waitForURL(/\/t\/ada-lovelace/, { timeout: WAIT_MS });
  });

  it("starts a session from the agent, in a new environment, and opens it", async () => {
    const sessions = new SessionsListPage(ada.page, team);
    const form = new NewSessionPage(ada.page, team);
    await sessions.goto();
    await sessions.startSession();
    await form.agent.waitFor();
    expect(await form.agentOptions()).toEqual([`${AGENT} · claude-sonnet-4-5`]);
    await form.title.fill("Pairing on the build");
    await screenshot(ada.page, "new");
    sessionId = await form.start();
    await ada.live();
    await ada.nothingYet.waitFor();
    expect(await ada.title.textContent()).toBe("Pairing on the build");
  });

  it("shows both teammates who is watching", async () => {
    await grace.goto(sessionId);
    await waitUntil("both viewers in both pages", async () => {
      const [a, g] = [await ada.presence.textContent(), await grace.presence.textContent()];
      return !!a?.includes("Ada Lovelace (you)") && !!a.includes("Grace Hopper") && !!g?.includes("Grace Hopper (you)") && !!g.includes("Ada Lovelace");
    });
  });

  it("streams the answer token by token to everyone, then shows it stored", async () => {
    await ada.send("Please answer slowly");
    // Grace sees Ada's message and then the answer growing, before it is stored
    await grace.items("user_message").filter({ hasText: "Please answer slowly" }).waitFor({ timeout: WAIT_MS });
    // named by who sent it (the log records the member with the event)
    expect(await grace.sentBy(grace.items("user_message").filter({ hasText: "Please answer slowly" })).textContent()).toBe("Ada Lovelace");
    await grace.streaming.waitFor({ timeout: WAIT_MS });
    await waitUntil("some streamed text", async () => ((await grace.streaming.textContent()) ?? "").includes("slow answer"));
    const partial = (await grace.streaming.textContent()) ?? "";
    expect(partial).not.toContain("token by token, live.");
    await screenshot(grace.page, "streaming");
    for (const viewer of [ada, grace]) {
      await viewer.expectAgentMessage("token by token, live.");
      await viewer.waitForStatus("idle");
      await viewer.streaming.waitFor({ state: "detached" });
      expect(await viewer.agentMessage("token by token, live.").count()).toBe(1);
    }
    await screenshot(ada.page, "answered");
  });

  it("misses nothing when reloaded in the middle of a turn", async () => {
    await ada.send("Once more, slowly please");
    await grace.streaming.waitFor({ timeout: WAIT_MS });
    await grace.page.reload();
    await grace.live();
    await waitUntil("the second answer", async () => (await grace.agentMessage("token by token, live.").count()) === 2);
    await grace.waitForStatus("idle");
    const events = await log();
    const { seqs, keys, total } = await grace.rendered();
    // the same items the log folds into: each event once, nothing missing
    const folded = timelineOf(events).items;
    expect(total).toBe(folded.length);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(keys).toEqual(folded.slice(folded.length - keys.length).map((item) => item.key));
  });

  it("runs a tool that asks once a teammate approves it, in the sandbox", async () => {
    await ada.send("Please run the build");
    await grace.approveButton.waitFor({ timeout: WAIT_MS });
    await ada.approveButton.waitFor({ timeout: WAIT_MS });
    expect(await grace.toolCall("Waiting for approval").count()).toBe(1);
    await screenshot(grace.page, "approval");
    await grace.approve();
    for (const viewer of [ada, grace]) {
      await viewer.expectAgentMessage("The command printed: sandbox-says-hi", 60_000);
      expect(await viewer.approveButton.count()).toBe(0);
    }
    const call = ada.toolCall("echo sandbox-says-hi");
    expect(await call.getAttribute("data-state")).toBe("done");
    await call.getByRole("button", { expanded: false }).click();
    await call.getByLabel("Output of bash").waitFor();
    expect(await call.getByLabel("Output of bash").textContent()).toContain("sandbox-says-hi");
    // stderr apart from stdout, labelled as such
    expect(await call.getByLabel("Output of bash").textContent()).not.toContain("build-warning");
    expect(await ada.stderrOf(call).textContent()).toMatch(/^stderr\s*build-warning$/i);
    expect(await ada.answeredBy(call).textContent()).toBe("approved by Grace Hopper");
    // the sandbox the call needed: provisioned and ready, in the header and as one row of the timeline
    for (const viewer of [ada, grace]) {
      await viewer.sandboxStatusIs("ready").waitFor({ timeout: WAIT_MS });
      expect(await viewer.sandboxStatus.getAttribute("aria-label")).toMatch(/^Sandbox ready \(local, \d+(\.\d)? (s|min)/);
      expect(await viewer.items("sandbox").count()).toBe(1);
    }
    await screenshot(ada.page, "tool-done");
    // opening the call scrolled the conversation up to it: back to the end, where it follows what comes next
    await ada.scrollToEnd();
  });

  it("never runs a tool a teammate denies, and tells the model why", async () => {
    await grace.send("Please clean up the workspace");
    await ada.deny("Not before the release.");
    for (const viewer of [ada, grace]) {
      // the model got the denial, with the reason, as the call's error result
      await viewer.expectAgentMessage("The command failed: Not before the release.", 60_000);
      expect(await viewer.toolCall("echo cleanup-ran").getAttribute("data-state")).toBe("denied");
      expect(await viewer.answeredBy(viewer.toolCall("echo cleanup-ran")).textContent()).toBe("denied by Ada Lovelace");
      expect(await viewer.sentBy(viewer.items("user_message").filter({ hasText: "Please clean up the workspace" })).textContent()).toBe("Grace Hopper");
      expect(await viewer.approveButton.count()).toBe(0);
    }
    const events = await log();
    const use = events.find((e) => e.type === "agent.tool_use" && JSON.stringify(e).includes("cleanup-ran"))!;
    expect(events.find((e) => e.type === "user.tool_confirmation" && (e as { tool_use_id?: string }).tool_use_id === use.id)).toMatchObject({ result: "deny", deny_message: "Not before the release." });
    expect(events.find((e) => e.type === "agent.tool_result" && (e as { tool_use_id?: string }).tool_use_id === use.id)).toMatchObject({ is_error: true, content: [{ type: "text", text: "Not before the release." }] });
    // the command never ran: the session's workspace (made by the approved call before) has no file it would have written
    const files = fs.readdirSync(path.join(dataDir, "sandboxes"), { recursive: true, encoding: "utf8" });
    expect(files.filter((f) => path.basename(f) === "built")).toHaveLength(1); // control: the approved call's file is found
    expect(files.filter((f) => path.basename(f) === "cleaned")).toEqual([]);
  });

  it("sends a custom tool's result from the form under it", async () => {
    await ada.send("Please look up Ada");
    await ada.toolResultForm("lookup_customer").waitFor({ timeout: WAIT_MS });
    const result = ada.toolResult("lookup_customer");
    await result.fill('{"name":"Ada","since":2021}');
    await screenshot(ada.page, "custom-tool");
    expect(await result.inputValue()).toBe('{"name":"Ada","since":2021}'); // still there when it is sent
    await ada.sendToolResult("lookup_customer");
    for (const viewer of [ada, grace]) await viewer.expectAgentMessage('The command printed: {"name":"Ada","since":2021}');
    expect(await ada.toolResultForm("lookup_customer").count()).toBe(0);
    expect(await grace.answeredBy(grace.toolCall("lookup_customer")).textContent()).toBe("result by Ada Lovelace");
  });

  it("interrupts a turn that hangs; a message sent meanwhile is marked queued; the list shows the status live", async () => {
    const list = new SessionsListPage(await adaContext.newPage(), team);
    await list.goto();
    await list.row("Pairing on the build").waitFor();

    await ada.send("Now hang forever");
    await ada.waitForStatus("running");
    await waitUntil("the list to show it running", async () => (await list.rowStatus("Pairing on the build")) === "running", 15_000);
    // from the keyboard: Ctrl+Enter sends
    await grace.sendWithKeyboard("Are you still there?");
    await grace.queuedNote.waitFor({ timeout: WAIT_MS });
    await grace.waitForEmptyComposer();
    await screenshot(grace.page, "running");
    await ada.interrupt();
    for (const viewer of [ada, grace]) {
      await viewer.items("interrupt").waitFor({ timeout: WAIT_MS });
      expect(await viewer.sentBy(viewer.items("interrupt")).textContent()).toBe("by Ada Lovelace");
      await waitUntil("the turn to stop", async () => (await viewer.status()) !== "running");
    }
    expect(await ada.interruptButton.count()).toBe(0);
    await waitUntil("the list to show it stopped", async () => (await list.rowStatus("Pairing on the build")) !== "running", 15_000);
    await screenshot(list.page, "list");
    await list.page.close();
  });

  it("comes back by itself after the server restarts, with what happened while it was away", async () => {
    await app.stop();
    for (const viewer of [ada, grace]) await viewer.connection("reconnecting").waitFor({ timeout: WAIT_MS });
    await startServer();
    // a turn runs at once on the new server, while the pages are still reconnecting
    await api("POST", `/v1/sessions/${sessionId}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "Hello after the restart" }] }] });
    for (const viewer of [ada, grace]) {
      await viewer.live();
      await viewer.expectAgentMessage("You said: Hello after the restart");
      await viewer.waitForStatus("idle");
    }
    await waitUntil("both viewers again", async () => {
      const text = (await ada.presence.textContent()) ?? "";
      return text.includes("Ada Lovelace (you)") && text.includes("Grace Hopper");
    });
    const events = await log();
    const folded = timelineOf(events).items;
    for (const viewer of [ada, grace]) {
      const { keys, total } = await viewer.rendered();
      // the API's log, plus the one sandbox row of the build's tool call (members see it; the API does not list it)
      expect(total).toBe(folded.length + 1);
      expect(keys.at(-1)).toBe(folded.at(-1)!.key);
    }
    expect(await ada.agentMessage("You said: Hello after the restart").count()).toBe(1);
  });

  it("names who sent through the API by the key's name, and never puts a sender in the API's events", async () => {
    // the approvals, denials, results, interrupts and messages of teammates are checked where they happen, above
    const message = (viewer: SessionPage) => viewer.items("user_message").filter({ hasText: "Hello after the restart" });
    for (const viewer of [ada, grace]) expect(await viewer.sentBy(message(viewer)).textContent()).toBe("API key browser test");
    // the API's events are the SDK's wire form: no sender
    const listed = JSON.stringify(await api("GET", `/v1/sessions/${sessionId}/events?limit=1000`));
    expect(listed).toContain("Hello after the restart");
    expect(listed).not.toMatch(/"actor"|"user_|"apikey_/);
    await ada.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(ada.page, "who-did-what");
    await ada.page.setViewportSize({ width: 390, height: 844 });
    await message(ada).scrollIntoViewIfNeeded();
    await screenshot(ada.page, "who-did-what-phone");
    await ada.page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows an outcome as a card with each evaluation's verdict and the grader's feedback, live", async () => {
    await api("POST", `/v1/sessions/${sessionId}/events`, {
      events: [{ type: "user.define_outcome", description: "Greet the team", rubric: { type: "text", content: "Greets twice." }, max_iterations: 3 }],
    });
    for (const viewer of [ada, grace]) {
      const card = viewer.outcome("Greet the team");
      await waitUntil("the outcome satisfied", async () => (await viewer.outcomeStatus(card)) === "satisfied");
      const verdicts = await viewer.outcomeVerdicts(card);
      expect(verdicts.map((v) => v.result)).toEqual(["needs_revision", "satisfied"]);
      expect(verdicts[0]!.text).toContain("Greet twice, please.");
      expect(verdicts[1]!.text).toContain("It greets twice now.");
      await viewer.waitForStatus("idle");
    }
    // the feedback reached the agent as its next input
    await ada.agentMessage("Greet twice, please.").first().waitFor({ timeout: WAIT_MS });
    // scrolled up to it as a reader would (a programmatic scroll is taken back by the list's following)
    const card = ada.outcome("Greet the team");
    await ada.timeline.hover();
    await waitUntil("the outcome card in view", async () => {
      const [box, view] = [await card.boundingBox(), await ada.timeline.boundingBox()];
      if (box && view && box.y >= view.y - 1) return true;
      await ada.page.mouse.wheel(0, -300);
      return false;
    });
    await card.screenshot({ path: path.join(SCREENSHOTS, "sessions-outcome.png") });
    await ada.scrollToEnd();
  });

  it("fits a phone's screen", async () => {
    await grace.page.setViewportSize({ width: 390, height: 844 });
    await grace.page.reload();
    await grace.live();
    expect(await grace.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(grace.page, "phone");
    await grace.page.emulateMedia({ colorScheme: "dark" });
    await screenshot(grace.page, "phone-dark");
    await grace.page.emulateMedia({ colorScheme: "light" });
    await grace.page.setViewportSize({ width: 1280, height: 900 });
  });

  it("refuses an empty message next to the box, without sending anything", async () => {
    const before = (await log()).length;
    await ada.composer.fill("   ");
    await ada.sendButton.click();
    await ada.emptyMessageAlert.waitFor();
    expect((await log()).length).toBe(before);
  });

  it("creates a share link that opens the replay signed out, naming no one, and revokes it", async () => {
    const url = await ada.createShareLink();
    expect(url).toMatch(/\/replay\/shr_/);
    expect((await fetch(url)).status).toBe(200);
    // a guest sees what was said, not who said it: no teammate's name, no key's (view-events.ts)
    const seq = Number(await ada.items("user_message").filter({ hasText: "Hello after the restart" }).getAttribute("data-seq"));
    const guestContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const guest = new ReplayPage(await guestContext.newPage());
    await guest.goto(url, base);
    await guest.seek(seq);
    const said = guest.page.locator("article").filter({ hasText: "Hello after the restart" });
    await said.first().waitFor({ timeout: WAIT_MS });
    expect(await said.first().textContent()).toMatch(/^User/);
    expect((await guest.page.locator("body").textContent()) ?? "").not.toMatch(/Ada Lovelace|Grace Hopper|browser test/);
    expect(await guest.page.getByTestId("sent-by").count()).toBe(0);
    await guestContext.close();
    await screenshot(ada.page, "share");
    await ada.revokeShareLink();
    expect((await fetch(url)).status).toBe(404);
  });

  it("keeps the session from another team's member: the page is a 404", async () => {
    const stranger = await browser.newContext();
    const page = await stranger.newPage();
    await signUp(page, { url: base }, { name: "Eve Stranger", email: "eve@example.com", password: "not-a-member-here" });
    const eve = new URL(page.url()).pathname; // /t/<Eve's team>
    expect(await new NotFoundPage(page).visit(`${base}/t/ada-lovelace/sessions/${sessionId}`)).toBe(404);
    expect(await page.content()).not.toContain("Pairing on the build");

    // Ada's session, agent and environment under Eve's own team: the status itself is 404, and
    // nothing of them is in the page (the ids are, in the address Eve typed)
    const cookie = (await stranger.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const { data: agents } = (await api("GET", "/v1/agents")) as { data: Array<{ id: string }> };
    const { data: environments } = (await api("GET", "/v1/environments")) as { data: Array<{ id: string }> };
    for (const route of [`${eve}/sessions/${sessionId}`, `${eve}/agents/${agents[0]!.id}`, `${eve}/agents/${agents[0]!.id}/versions`, `${eve}/environments/${environments[0]!.id}`, `${eve}/sessions/sesn_nope`]) {
      const answer = await fetch(`${base}${route}`, { headers: { cookie }, redirect: "manual" });
      expect(answer.status, route).toBe(404);
      const html = await answer.text();
      expect(html, route).toContain("This page does not exist");
      for (const theirs of ["Pairing on the build", AGENT, "sandbox-says-hi", "lookup_customer"]) expect(html, route).not.toContain(theirs);
    }
    // and a page that is Eve's still answers 200
    expect((await fetch(`${base}${eve}/sessions`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    await stranger.close();
  });

  it("archives a session, then deletes it: the list says so, and a teammate watching sees it end", async () => {
    const { data: agents } = (await api("GET", "/v1/agents")) as { data: Array<{ id: string }> };
    const { data: environments } = (await api("GET", "/v1/environments")) as { data: Array<{ id: string }> };
    const session = (await api("POST", "/v1/sessions", { agent: agents[0]!.id, environment_id: environments[0]!.id, title: "Short-lived" })) as { id: string };
    await ada.goto(session.id);
    await grace.goto(session.id);

    await ada.archive();
    await ada.archivedNote.waitFor({ timeout: WAIT_MS });
    expect(await ada.composer.isDisabled()).toBe(true);
    expect(((await api("GET", `/v1/sessions/${session.id}`)) as { archived_at: string | null }).archived_at).toEqual(expect.any(String));

    await ada.askToDelete();
    // asking first: cancelling deletes nothing
    await ada.cancel();
    expect((await fetch(`${app.url}/v1/sessions/${session.id}`, { headers: { "x-api-key": apiKey } })).status).toBe(200);
    await ada.askToDelete();
    await ada.confirmDelete();
    const sessions = new SessionsListPage(ada.page, team);
    await sessions.deletedNote.waitFor();
    expect(await sessions.link(/Short-lived/).count()).toBe(0);
    await grace.deletedNotice.waitFor({ timeout: WAIT_MS });
    expect(await grace.connection("deleted").count()).toBe(1);
    expect((await fetch(`${app.url}/v1/sessions/${session.id}`, { headers: { "x-api-key": apiKey } })).status).toBe(404);
  });

  it("creates a team from the team switcher, then switches back", async () => {
    const overview = new TeamOverviewPage(grace.page, team);
    const newTeam = new NewTeamPage(grace.page);
    await overview.goto();
    await overview.openTeamSwitcher();
    await overview.createTeamFromSwitcher();
    await newTeam.name.fill("Compiler Guild");
    expect(await newTeam.slug.inputValue()).toBe("compiler-guild");
    await newTeam.create();
    await grace.page.waitForURL(/\/t\/compiler-guild$/, { timeout: WAIT_MS });
    await overview.openTeamSwitcher();
    const teams = overview.teamLinks;
    await teams.first().waitFor();
    const names = await teams.allTextContents();
    expect(names.some((n) => n.startsWith("Compiler Guild") && n.includes("Owner"))).toBe(true);
    expect(names.some((n) => n.includes("Member"))).toBe(true); // Ada's team, which Grace joined
    await teams.filter({ hasText: "Member" }).click();
    await grace.page.waitForURL(/\/t\/ada-lovelace$/, { timeout: WAIT_MS });
    await screenshot(grace.page, "team-switched");
  });
});
