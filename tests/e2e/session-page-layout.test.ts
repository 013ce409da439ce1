import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { unzipSync } from "fflate";
import type { Browser, Locator } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { NewSessionPage } from "./pages/new-session-page";
import { SessionPage } from "./pages/session-page";
import { SessionsListPage } from "./pages/sessions-list-page";
import { signUp } from "./sign-up";
import { waitUntil } from "./wait-until";
import { apiClient } from "./api-client";

// The session page as a chat, in Debian's Chromium at 1280×800 against the real server and its
// built-in demo model (no model server, no network): the message box is in view without scrolling,
// Enter sends and Shift+Enter breaks the line, the agent's text is Markdown, a command shows as a
// terminal would show it, and the list follows new events until the reader scrolls up — then a
// pill offers the way back down. Its "Timeline" tab draws the same session as a waterfall: a turn
// per message, each model request with its tokens and each tool call as a bar in time.

const screenshot = screenshotter("session-layout");
type TLogEvent = { id: string; type: string; model_usage?: { input_tokens: number; output_tokens: number } };
const VIEWPORT = { width: 1280, height: 800 };
const PERSON = { name: "Lin Layout", email: "lin@example.com", password: "fits-the-window" };

/** The session page, with what this file looks at besides what the shared page object offers. */
class ChatPage extends SessionPage {
  get timeline(): Locator {
    return this.page.getByRole("region", { name: "Session timeline" });
  }
  /** The page's loading skeleton, its conversation and its message box. */
  get skeleton(): Locator {
    return this.page.getByTestId("session-skeleton");
  }
  get skeletonConversation(): Locator {
    return this.page.getByTestId("skeleton-conversation");
  }
  get skeletonComposer(): Locator {
    return this.page.getByTestId("skeleton-composer");
  }
  /**
   * Holds the session page's own request on a client navigation (never its prefetch, which brings
   * the loading skeleton) until `release` is called, so that the skeleton stays on screen to be
   * looked at. `nextPrefetch()` settles once the router's next prefetch of the page (which brings the
   * skeleton) is answered.
   */
  async holdSessionLoad(sessionId: string): Promise<{ nextPrefetch(): Promise<unknown>; release(): Promise<void> }> {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const sessionPath = new URL(this.url("sessions", sessionId)).pathname;
    const matches = (url: URL) => url.pathname === sessionPath;
    // the router's prefetch down to the loading boundary (after the route's tree, a request of its own)
    const nextPrefetch = () =>
      this.page.waitForResponse(
        (response) => {
          const headers = response.request().headers();
          return matches(new URL(response.url())) && headers["next-router-prefetch"] === "1" && !headers["next-router-segment-prefetch"];
        },
        { timeout: WAIT_MS },
      );
    await this.page.route(matches, async (route) => {
      const headers = route.request().headers();
      if (headers["rsc"] && !headers["next-router-prefetch"]) await held;
      // a held request the page gave up on (a navigation begun again) has nothing left to continue
      await route.continue().catch(() => undefined);
    });
    return {
      nextPrefetch,
      release: async () => {
        open();
        await this.page.unrouteAll({ behavior: "wait" });
      },
    };
  }
  get newEventsPill(): Locator {
    return this.page.getByRole("button", { name: /^New events below/ });
  }
  /** The element's box in the window, as the person sees it without scrolling. */
  async boxInWindow(locator: Locator): Promise<{ top: number; bottom: number }> {
    return locator.evaluate((el) => {
      const rect = el.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom };
    });
  }
  async windowScrollY(): Promise<number> {
    return this.page.evaluate(() => window.scrollY);
  }
  /** How far the timeline is from its end, in pixels (0 at the bottom). */
  async distanceFromBottom(): Promise<number> {
    return this.timeline.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
  }
}

describe("the session page, shaped like a chat", () => {
  let app: AppServer;
  let browser: Browser;
  let chat: ChatPage;
  let team: TTeam;
  let apiKey: string;
  let sessionId: string;

  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    app = await startAppServer(); // no ANTHROPIC_API_KEY: the built-in demo model answers
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    team = await signUp(page, app, PERSON);
    chat = new ChatPage(page, team);
  });

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("opens a session with the message box in view, without scrolling", async () => {
    const keys = new ApiKeysPage(chat.page, team);
    await keys.goto();
    apiKey = await keys.createKey("layout test");
    await api("POST", "/v1/agents", { name: "Layout helper", model: "claude-sonnet-4-5", tools: [{ type: "agent_toolset_20260401" }] });
    const form = new NewSessionPage(chat.page, team);
    await form.goto();
    await form.agent.waitFor();
    await form.title.fill("Fits the window");
    sessionId = await form.start();
    await chat.live();

    expect(await chat.windowScrollY()).toBe(0);
    for (const control of [chat.composer, chat.sendButton]) {
      const box = await chat.boxInWindow(control);
      expect(box.top).toBeGreaterThan(0);
      expect(box.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    }
    // the conversation takes the room between the header and the box
    const list = await chat.boxInWindow(chat.timeline);
    expect(list.bottom - list.top).toBeGreaterThan(250);
    expect(list.bottom).toBeLessThanOrEqual((await chat.boxInWindow(chat.composer)).top);
    await screenshot(chat.page, "empty");
  });

  it("breaks the line on Shift+Enter and sends on Enter", async () => {
    await chat.composer.click();
    await chat.composer.pressSequentially("hello there,");
    await chat.composer.press("Shift+Enter");
    await chat.composer.pressSequentially("agent");
    expect(await chat.composer.inputValue()).toBe("hello there,\nagent");
    expect(await chat.items("user_message").count()).toBe(0);
    await chat.composer.press("Enter");
    await chat.waitForEmptyComposer();
    await chat.items("user_message").filter({ hasText: "agent" }).waitFor({ timeout: WAIT_MS });
    // the line break is kept as typed
    expect(await chat.items("user_message").first().innerText()).toContain("hello there,\nagent");
  });

  it("shows the agent's text as Markdown: lists and code", async () => {
    const answer = chat.agentMessage("built-in demo model");
    await answer.waitFor({ timeout: WAIT_MS });
    await chat.waitForStatus("idle");
    // the demo model's "Things I can do" list, each with its command as inline code
    expect(await answer.locator("li").count()).toBeGreaterThanOrEqual(2);
    expect(await answer.locator("li code").first().textContent()).toBe("run ls -la");
    expect(await answer.textContent()).not.toContain("- `run");
  });

  it("shows a command as a terminal would: the command, its output folded, the exit code and the time it took", async () => {
    await chat.composer.fill("run seq 1 300");
    await chat.composer.press("Enter");
    const call = chat.toolCall("seq 1 300");
    await call.and(chat.page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    const output = call.getByLabel("Output of bash");
    const text = (await output.textContent()) ?? "";
    expect(text).toContain("⋯ 280 more lines");
    expect(text).toMatch(/^1\n2\n3\n4\n5\n/);
    expect(text).toMatch(/\n300$/);
    expect(text).not.toContain("\n150\n");
    expect(await call.getByTestId("exit-status").textContent()).toBe("exit 0");
    expect(await call.getByTestId("duration").textContent()).toMatch(/^\d+(\.\d)? (ms|s)$/);
    await chat.expectAgentMessage("The command printed");
    await chat.waitForStatus("idle");
    await screenshot(chat.page, "terminal");

    await call.getByRole("button", { name: "Show all 300 lines" }).click();
    await waitUntil("all the output", async () => ((await output.textContent()) ?? "").includes("\n150\n"));
    expect(await output.textContent()).not.toContain("more lines");
    await call.getByRole("button", { name: "Show less" }).click();
  });

  it("streams a running command's output into its terminal, stderr marked, until the result replaces it", async () => {
    // the command prints, then waits (at most a minute) for a file this test creates once it has
    // seen the output live: so the output was on the page before the command could end
    const command = "echo building; echo 'warning: slow step' >&2; for i in $(seq 600); do [ -e go ] && break; sleep 0.1; done; echo finished";
    await chat.composer.fill(`run ${command}`);
    await chat.composer.press("Enter");
    const call = chat.toolCall("warning: slow step");
    const live = call.getByTestId("live-output");
    await call.getByLabel("Live output of bash").filter({ hasText: "building" }).waitFor({ timeout: 60_000 });
    await live.getByTestId("live-stderr").getByLabel("Live errors (stderr) of bash").filter({ hasText: "warning: slow step" }).waitFor({ timeout: WAIT_MS });
    expect(await call.getAttribute("data-state")).toBe("running");
    expect(await call.getByTestId("exit-status").count()).toBe(0);
    expect(await live.textContent()).not.toContain("finished");
    await screenshot(chat.page, "terminal-live");

    const sandboxes = path.join(app.dataDir, "sandboxes");
    const workspaces = fs.readdirSync(sandboxes).filter((name) => name.startsWith(`${sessionId}-`));
    expect(workspaces.length).toBeGreaterThan(0);
    for (const name of workspaces) fs.writeFileSync(path.join(sandboxes, name, "go"), "");

    await call.and(chat.page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    expect(await live.count()).toBe(0); // the stored result replaced the live output
    expect(await call.getByLabel("Output of bash").textContent()).toBe("building\nfinished");
    expect(await call.getByTestId("stderr").getByLabel("Errors (stderr) of bash").textContent()).toBe("warning: slow step");
    expect(await call.getByTestId("exit-status").textContent()).toBe("exit 0");
    // the model's report of the result (its "I'll run …" before the call names the command too)
    await chat.agentMessage("The command printed").filter({ hasText: "warning: slow step" }).waitFor({ timeout: WAIT_MS });
    await chat.waitForStatus("idle");
  });

  it("shows a file the agent wrote as the lines it added", async () => {
    await chat.composer.fill("create a file notes.md with content Hello from the layout test");
    await chat.composer.press("Enter");
    const call = chat.toolCall("notes.md");
    await call.and(chat.page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    expect(await call.getByLabel("Content written to notes.md").textContent()).toBe("+ Hello from the layout test");
    await chat.expectAgentMessage("The write tool returned");
    await chat.waitForStatus("idle");
    await screenshot(chat.page, "write");
  });

  it("draws the turns on a Timeline tab: a bar per tool call, each model request with its tokens, in the address and live", async () => {
    const { data: log } = (await api("GET", `/v1/sessions/${sessionId}/events?limit=1000`)) as { data: TLogEvent[] };
    const ends = log.filter((event) => event.type === "span.model_request_end");
    expect(log.filter((event) => event.type === "agent.tool_use")).toHaveLength(3); // control: the two bash calls and the write of the tests above
    expect(await chat.tab("Conversation").getAttribute("aria-selected")).toBe("true"); // the default

    await chat.tab("Timeline").click();
    await waitUntil("the tab in the address", async () => new URL(chat.page.url()).searchParams.get("tab") === "timeline");
    const waterfall = chat.waterfall;
    await waterfall.region.waitFor();
    expect(await chat.timeline.count()).toBe(0); // the conversation makes way
    // a turn per message sent, each request and call of the log as a row, in log order
    expect(await waterfall.turns.count()).toBe(log.filter((event) => event.type === "user.message").length);
    expect(await waterfall.spans("tool_call").count()).toBe(3);
    expect(await waterfall.spans("tool_call").allInnerTexts()).toEqual([expect.stringMatching(/^bash\b/), expect.stringMatching(/^bash\b/), expect.stringMatching(/^write\b/)]);
    for (const facts of await waterfall.facts("tool_call")) expect(facts).toMatch(/^\d+(\.\d)? (ms|s)$/);
    const requests = await waterfall.facts("model_request");
    expect(requests).toHaveLength(ends.length);
    requests.forEach((facts, i) => {
      const usage = ends[i]!.model_usage!;
      expect(facts).toMatch(/^\d+(\.\d)? (ms|s) · /);
      expect(facts).toContain(`${usage.input_tokens.toLocaleString("en-US")} in · ${usage.output_tokens.toLocaleString("en-US")} out`);
    });
    // bars sit on the turn's time axis: the command's turn asks, runs the call, then answers after its result
    const [asks, runs, answers] = await waterfall.turns.nth(1).locator("[data-span] [data-testid=bar]").evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().toJSON() as DOMRect));
    expect(runs!.x).toBeGreaterThanOrEqual(asks!.x);
    expect(runs!.x + runs!.width).toBeGreaterThan(asks!.x + asks!.width);
    expect(answers!.x).toBeGreaterThanOrEqual(runs!.x + runs!.width - 1);
    expect((await waterfall.bars("tool_call")).every((bar) => bar.width > 0)).toBe(true);
    const { violations } = await new AxeBuilder({ page: chat.page }).include('[data-testid="session-chat"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await screenshot(chat.page, "timeline-tab");

    // live: a new message adds its turn while the tab is open
    await chat.composer.fill("hello from the timeline tab");
    await chat.composer.press("Enter");
    const turnsBefore = log.filter((event) => event.type === "user.message").length;
    await waitUntil("a turn more", async () => (await waterfall.turns.count()) === turnsBefore + 1, WAIT_MS);
    await chat.waitForStatus("idle");
    await waitUntil("its request ended", async () => (await waterfall.facts("model_request")).length === ends.length + 1 && !(await waterfall.facts("model_request")).at(-1)!.startsWith("running"));

    // the address opens the tab; the keyboard moves between tabs, and the address follows
    await chat.page.reload();
    await chat.live();
    expect(await chat.tab("Timeline").getAttribute("aria-selected")).toBe("true");
    await waterfall.region.waitFor();
    await chat.tab("Timeline").focus();
    await chat.page.keyboard.press("ArrowLeft");
    await chat.timeline.waitFor();
    expect(await chat.tab("Conversation").getAttribute("aria-selected")).toBe("true");
    expect(await chat.focusedId()).toBe("session-tab-conversation");
    expect(new URL(chat.page.url()).searchParams.has("tab")).toBe(false);
  });

  it("follows new events while at the bottom; scrolled up, it stays put and offers a pill that jumps down", async () => {
    // sending brings the list to its end, and it stays there while the turn's events come in
    await chat.composer.fill("run echo follow-me");
    await chat.composer.press("Enter");
    await chat.agentMessage("The command printed").filter({ hasText: "follow-me" }).waitFor({ timeout: 60_000 });
    await chat.waitForStatus("idle");
    await waitUntil("the list at its end", async () => (await chat.distanceFromBottom()) < 8);

    // the reader scrolls up (the wheel over the list), then something new arrives from elsewhere
    const list = await chat.timeline.boundingBox();
    await chat.page.mouse.move(list!.x + list!.width / 2, list!.y + list!.height / 2);
    await chat.page.mouse.wheel(0, -4_000);
    await waitUntil("the list scrolled up", async () => (await chat.distanceFromBottom()) > 200);
    expect(await chat.newEventsPill.count()).toBe(0);
    await api("POST", `/v1/sessions/${sessionId}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "Hello from the API" }] }] });
    await chat.newEventsPill.waitFor({ timeout: WAIT_MS });
    // the answer is in the log (the list renders only what is near the reader, so it is not in the page yet)
    await waitUntil("the answer in the log", async () => {
      const { data } = (await api("GET", `/v1/sessions/${sessionId}/events?limit=1000`)) as { data: Array<{ type: string; content?: Array<{ text?: string }> }> };
      return data.some((event) => event.type === "agent.message" && event.content?.some((block) => block.text?.includes('You said: "Hello from the API"')));
    });
    await chat.waitForStatus("idle");
    expect(await chat.distanceFromBottom()).toBeGreaterThan(200); // it did not pull the reader down
    await screenshot(chat.page, "new-events-pill");

    await chat.newEventsPill.click();
    await waitUntil("the list at its end again", async () => (await chat.distanceFromBottom()) < 8);
    await chat.newEventsPill.waitFor({ state: "detached" });
    await chat.expectAgentMessage('You said: "Hello from the API"');
    expect(await chat.agentMessage('You said: "Hello from the API"').isVisible()).toBe(true);
    // and the message box never left the window
    expect((await chat.boxInWindow(chat.composer)).bottom).toBeLessThanOrEqual(VIEWPORT.height);
  });

  it("shows, while the session loads, a skeleton of the chat: the conversation filling the window, the message box at its foot", async () => {
    const list = new SessionsListPage(chat.page, team);
    const hold = await chat.holdSessionLoad(sessionId);
    try {
      // The skeleton shows only when the router already holds the page's loading boundary from its
      // prefetch, which the router times as it likes: a navigation that went without it is begun
      // again from the list (its page request stays held), at most three times.
      let shown = false;
      for (let attempt = 1; attempt <= 3 && !shown; attempt++) {
        const prefetched = hold.nextPrefetch();
        await list.goto();
        await prefetched;
        await list.link(/Fits the window/).click();
        shown = await chat.skeleton.waitFor({ timeout: WAIT_MS / 3 }).then(() => true, () => false);
      }
      expect(shown, "the skeleton shows on a navigation from the list").toBe(true);
      for (const viewport of [VIEWPORT, { width: 390, height: 844 }]) {
        await chat.page.setViewportSize(viewport);
        await waitUntil("the skeleton to fit the window", async () => (await chat.boxInWindow(chat.skeletonComposer)).bottom <= viewport.height);
        const conversation = await chat.boxInWindow(chat.skeletonConversation);
        const composer = await chat.boxInWindow(chat.skeletonComposer);
        // the conversation takes the window down to the message box, which sits at the window's foot
        expect(conversation.bottom).toBeLessThanOrEqual(composer.top);
        expect(conversation.bottom - conversation.top).toBeGreaterThan(viewport.height * 0.35);
        expect(composer.bottom).toBeGreaterThan(viewport.height - 60);
        await screenshot(chat.page, viewport.width > 500 ? "loading" : "loading-phone");
      }
    } finally {
      await hold.release();
      await chat.page.setViewportSize(VIEWPORT);
    }
    await chat.live();
    await chat.skeleton.waitFor({ state: "detached" });
  });

  it("keeps the message box in view on a phone", async () => {
    await chat.page.setViewportSize({ width: 390, height: 844 });
    await chat.page.reload();
    await chat.live();
    expect(await chat.overflowWidth()).toBeLessThanOrEqual(0);
    const box = await chat.boxInWindow(chat.composer);
    expect(box.bottom).toBeLessThanOrEqual(844);
    await screenshot(chat.page, "phone");

    // the timeline tab fits too: names and facts above their bars
    await chat.tab("Timeline").click();
    await chat.waterfall.region.waitFor();
    expect(await chat.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(chat.page, "timeline-tab-phone");
    await chat.tab("Conversation").click();
  });

  it("renders hostile Markdown and HTML from the model inert: no script runs, no handler fires, no javascript: link", async () => {
    // the demo model echoes what it was told inside its Markdown answer (You said: "…")
    const dialogs: string[] = [];
    chat.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const hostile = '<img src=x onerror="window.__pwned=1;alert(1)"> <script>window.__pwned=2</script> [click me](javascript:window.__pwned=3) <a href="javascript:alert(4)">or me</a>';
    await chat.send(hostile);
    const answer = chat.agentMessage("click me");
    await answer.waitFor({ timeout: WAIT_MS });
    await chat.waitForStatus("idle");
    expect(await answer.locator("script, img[onerror], [onerror], iframe").count()).toBe(0);
    for (const link of await answer.locator("a").all()) expect((await link.getAttribute("href")) ?? "").not.toMatch(/^\s*javascript:/i);
    for (const name of ["click me", "or me"]) {
      const link = answer.getByText(name, { exact: true });
      if ((await link.count()) > 0) await link.first().click({ timeout: 5_000 }).catch(() => {});
    }
    expect(await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
  it("shows the live sandbox's files on a Files tab: the tree, a file opened, one downloaded, all as a zip", async () => {
    await chat.page.setViewportSize(VIEWPORT);
    await chat.tab("Files").click();
    await waitUntil("the tab in the address", async () => new URL(chat.page.url()).searchParams.get("tab") === "files");
    // the file the agent wrote above, in the sandbox it still has
    await chat.workspaceFile("notes.md").click();
    await chat.openedFile("notes.md").waitFor({ timeout: WAIT_MS });
    expect(await chat.openedFile("notes.md").textContent()).toContain("Hello from the layout test");
    await screenshot(chat.page, "files-tab");

    const [one] = await Promise.all([chat.page.waitForEvent("download"), chat.workspaceDownload("notes.md").click()]);
    expect(one.suggestedFilename()).toBe("notes.md");
    expect(fs.readFileSync(await one.path()).toString("utf8")).toContain("Hello from the layout test");
    const [all] = await Promise.all([chat.page.waitForEvent("download"), chat.workspaceZip.click()]);
    const entries = unzipSync(new Uint8Array(fs.readFileSync(await all.path())));
    expect(Buffer.from(entries["notes.md"]!).toString("utf8")).toContain("Hello from the layout test");

    // nothing outside the workspace, and nothing for someone who is not a member
    const workspace = `${new URL(chat.page.url()).pathname}/workspace`;
    expect((await chat.page.request.get(`${app.url}${workspace}?download=../../../etc/passwd`)).status()).toBe(400);
    expect((await fetch(`${app.url}${workspace}?download=notes.md`, { redirect: "manual" })).status).not.toBe(200);
    await chat.tab("Conversation").click();
  });
});
