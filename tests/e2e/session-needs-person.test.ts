import type { Browser, BrowserContext } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { echoResponder, lastUserText, startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { InvitationPage } from "./pages/invitation-page";
import { MembersPage } from "./pages/members-page";
import { SessionPage } from "./pages/session-page";
import { signUp } from "./sign-up";
import { waitUntil } from "./wait-until";
import { apiClient } from "./api-client";

// A session that waits for a person, in Debian's Chromium against the real server and a scripted
// model: a banner above the conversation says which tool waits, with its input, and answers it;
// the tab's title and icon say so too; a teammate who asked to be notified gets a notification
// while her tab is hidden; and when one of them answers, the banner, the title's prefix and the
// icon's badge go for both. A session of two environments lists its hands in the header, and a call
// routed to the team's own machine shows there as waiting for a worker until its result comes.

const screenshot = screenshotter("session-needs-person");
const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine" };
const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "compilers-rule" };
const PREFIX = /^\(1\) Needs you · /;

function respond(request: MessagesRequest): TTurn {
  const last = request.body.messages.at(-1);
  if (last && typeof last.content !== "string" && last.content.some((block) => block.type === "tool_result")) return echoResponder(request);
  const said = lastUserText(request.body);
  if (said.includes("run the build")) return { content: [{ type: "text", text: "Running it." }, { type: "tool_use", name: "bash", input: { command: "echo banner-approved | tee built" } }] };
  if (said.includes("on both machines")) {
    return {
      content: [
        { type: "tool_use", name: "write", input: { file_path: "/workspace/cloud.txt", content: "made in the cloud" } },
        { type: "tool_use", name: "bash", input: { command: "hostname" } },
      ],
    };
  }
  if (said.includes("look up")) return { content: [{ type: "tool_use", name: "lookup_customer", input: { email: "ada@example.com" } }] };
  return { content: [{ type: "text", text: `You said: ${said}` }] };
}

/**
 * In the teammate's browser: notifications that record what they would show, and a tab that can
 * be hidden on demand (a headless tab is never hidden by itself).
 */
const STUB_NOTIFICATIONS = () => {
  const w = window as unknown as { __notifications: Array<{ title: string; body: string }>; __hidden: boolean };
  w.__notifications = [];
  w.__hidden = false;
  // the permission a person grants lasts across reloads, as the browser's does
  class RecordingNotification {
    static get permission(): NotificationPermission {
      return sessionStorage.getItem("test:notification-permission") === "granted" ? "granted" : "default";
    }
    static async requestPermission(): Promise<NotificationPermission> {
      sessionStorage.setItem("test:notification-permission", "granted");
      return "granted";
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      w.__notifications.push({ title, body: options?.body ?? "" });
    }
    close() {}
  }
  Object.defineProperty(window, "Notification", { value: RecordingNotification, configurable: true, writable: true });
  Object.defineProperty(Document.prototype, "visibilityState", { get: () => (w.__hidden ? "hidden" : "visible"), configurable: true });
};

describe("a session that needs a person", () => {
  let model: MessagesApiServer;
  let app: AppServer;
  let browser: Browser;
  let adaContext: BrowserContext;
  let graceContext: BrowserContext;
  let ada: SessionPage;
  let grace: SessionPage;
  let team: TTeam;
  let apiKey: string;
  let sessionId: string;
  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  const title = (page: SessionPage) => page.page.title();
  const notifications = () => grace.page.evaluate(() => (window as unknown as { __notifications: Array<{ title: string; body: string }> }).__notifications);
  const hideGracesTab = (hidden: boolean) =>
    grace.page.evaluate((value) => {
      (window as unknown as { __hidden: boolean }).__hidden = value;
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);

  beforeAll(async () => {
    model = await startMessagesApiServer({ respond });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "x", ANTHROPIC_BASE_URL: model.url } });
    browser = await launchChromium();
    adaContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    graceContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await graceContext.addInitScript(STUB_NOTIFICATIONS);
    const adaPage = await adaContext.newPage();
    team = await signUp(adaPage, app, ADA);
    ada = new SessionPage(adaPage, team);
    grace = new SessionPage(await graceContext.newPage(), team);
  });
  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await model?.close();
  });

  it("sets up an agent whose bash asks first, and a teammate", async () => {
    const keys = new ApiKeysPage(ada.page, team);
    await keys.goto();
    apiKey = await keys.createKey("needs-person test");
    const agent = await api("POST", "/v1/agents", {
      name: "Careful helper",
      model: "claude-sonnet-4-5",
      tools: [
        { type: "agent_toolset_20260401", configs: [{ name: "bash", permission_policy: { type: "always_ask" } }] },
        { type: "custom", name: "lookup_customer", description: "Finds a customer by email", input_schema: { type: "object", properties: { email: { type: "string" } } } },
      ],
    });
    const environment = await api("POST", "/v1/environments", { name: "needs-person env" });
    sessionId = (await api("POST", "/v1/sessions", { agent: agent.id, environment_id: environment.id, title: "Careful build" })).id;

    const members = new MembersPage(ada.page, team);
    await members.goto();
    const invitationUrl = await members.createInvitationLink();
    await signUp(grace.page, app, GRACE);
    const invitation = new InvitationPage(grace.page);
    await invitation.goto(invitationUrl);
    await invitation.join();
    await grace.page.waitForURL(new RegExp(`/t/${team.slug}`), { timeout: WAIT_MS });
  });

  it("shows nothing waiting at first; a teammate turns notifications on, remembered across a reload", async () => {
    await ada.goto(sessionId);
    await grace.goto(sessionId);
    expect(await ada.needsPersonBanner.count()).toBe(0);
    expect(await title(ada)).not.toMatch(/Needs you/);
    expect(await ada.faviconBadged()).toBe(false);

    expect(await grace.notifyToggle.getAttribute("aria-checked")).toBe("false");
    await grace.notifyToggle.click();
    await waitUntil("notifications on", async () => (await grace.notifyToggle.getAttribute("aria-checked")) === "true");
    await grace.page.reload();
    await grace.live();
    expect(await grace.page.evaluate(() => localStorage.getItem("oma:notify-needs-you"))).toBe("on");
    await waitUntil("notifications still on after the reload", async () => (await grace.notifyToggle.getAttribute("aria-checked")) === "true");
  });

  it("says what waits in a banner, the tab's title and its icon, and notifies the teammate whose tab is hidden", async () => {
    await hideGracesTab(true);
    await ada.send("Please run the build");
    for (const viewer of [ada, grace]) {
      await viewer.needsPersonBanner.waitFor({ timeout: WAIT_MS });
      expect(await viewer.needsPersonBanner.textContent()).toContain("Needs you: the agent asks to run bash");
      expect(await viewer.bannerInput.textContent()).toBe("echo banner-approved | tee built");
      await waitUntil("the title's prefix", async () => PREFIX.test(await title(viewer)));
      await waitUntil("the icon's badge", () => viewer.faviconBadged());
    }
    expect(await title(ada)).toMatch(/^\(1\) Needs you · Session · Open Managed Agents$/);

    // the teammate's hidden tab notified her, naming the tool and nothing of its input
    await waitUntil("a notification", async () => (await notifications()).length === 1);
    expect(await notifications()).toEqual([{ title: "A session needs you", body: "The agent asks to run bash." }]);

    // scrolled to the top of the conversation, the banner and the composer are both still in view
    await ada.timeline.hover();
    await ada.page.mouse.wheel(0, -10_000);
    await waitUntil("the conversation scrolled to its top", () => ada.timeline.evaluate((el) => el.scrollTop === 0));
    const banner = (await ada.needsPersonBanner.boundingBox())!;
    const composer = (await ada.composer.boundingBox())!;
    expect(banner.y).toBeGreaterThanOrEqual(0);
    expect(banner.y + banner.height).toBeLessThanOrEqual(composer.y);
    expect(composer.y + composer.height).toBeLessThanOrEqual(800);
    await screenshot(ada.page, "waiting");
  });

  it("approving from the banner runs the tool; banner, prefix and badge go for both viewers", async () => {
    await hideGracesTab(false);
    await ada.bannerApproveButton.click();
    for (const viewer of [ada, grace]) {
      await viewer.expectAgentMessage("The command printed: banner-approved", 60_000);
      await viewer.needsPersonBanner.waitFor({ state: "detached", timeout: WAIT_MS });
      await waitUntil("the title without its prefix", async () => !/Needs you/.test(await title(viewer)));
      await waitUntil("the icon without its badge", async () => !(await viewer.faviconBadged()));
      expect(await viewer.faviconHref()).toMatch(/\/favicon\.ico$/);
    }
    expect(await ada.toolCall("echo banner-approved").getAttribute("data-state")).toBe("done");
    // only the change to waiting notified: nothing more since
    expect(await notifications()).toHaveLength(1);
    await screenshot(grace.page, "answered");
  });

  it("answers a custom tool from the banner", async () => {
    await grace.send("Please look up Ada");
    await ada.needsPersonBanner.waitFor({ timeout: WAIT_MS });
    expect(await ada.needsPersonBanner.textContent()).toContain("Needs you: the agent waits for the result of lookup_customer");
    const form = grace.needsPersonBanner.getByRole("form", { name: "Answer lookup_customer" });
    // at a phone's size the banner and its form fit the screen's width
    await grace.page.setViewportSize({ width: 390, height: 844 });
    await grace.needsPersonBanner.waitFor({ timeout: WAIT_MS });
    const banner = (await grace.needsPersonBanner.boundingBox())!;
    expect(banner.x).toBeGreaterThanOrEqual(0);
    expect(banner.x + banner.width).toBeLessThanOrEqual(390);
    const send = form.getByRole("button", { name: "Send result" });
    await send.scrollIntoViewIfNeeded();
    const sendBox = (await send.boundingBox())!;
    expect(sendBox.x + sendBox.width).toBeLessThanOrEqual(390);
    await screenshot(grace.page, "waiting-phone");
    await grace.page.setViewportSize({ width: 1280, height: 800 });
    await form.getByRole("textbox", { name: "Result" }).fill('{"name":"Ada"}');
    await form.getByRole("button", { name: "Send result" }).click();
    for (const viewer of [ada, grace]) {
      await viewer.expectAgentMessage('The command printed: {"name":"Ada"}');
      await viewer.needsPersonBanner.waitFor({ state: "detached", timeout: WAIT_MS });
      expect(await title(viewer)).not.toMatch(/Needs you/);
    }
  });

  it("lists a session's hands in its header: the call routed to the team's machine waits for a worker there, live, until its result comes", async () => {
    const cloud = await api("POST", "/v1/environments", { name: "platform sandboxes" });
    const laptop = await api("POST", "/v1/environments", { name: "Ada's laptop", config: { type: "self_hosted" } });
    const agent = await api("POST", "/v1/agents", {
      name: "Two-handed helper",
      model: "claude-sonnet-4-5",
      tools: [{ type: "agent_toolset_20260401", configs: [{ name: "bash", environment: "laptop" }] }],
    });
    const id = (await api("POST", "/v1/sessions", { agent: agent.id, environment_id: cloud.id, additional_environments: [{ environment_id: laptop.id, name: "laptop" }], title: "Two machines" })).id as string;
    await ada.goto(id);
    const state = (environmentId: string) => ada.hand(environmentId).getAttribute("data-hand-state");
    expect(await ada.hands.getByRole("listitem").count()).toBe(2);
    expect([await state(cloud.id), await state(laptop.id)]).toEqual(["idle", "idle"]);

    // write runs in the primary's sandbox; bash is routed to the laptop, whose workers are not running
    await ada.send("Work on both machines please");
    await waitUntil("the laptop's call to wait for a worker", async () => (await state(laptop.id)) === "waiting_for_worker");
    await waitUntil("the cloud sandbox to be ready", async () => (await state(cloud.id)) === "ready");
    expect(await ada.hand(laptop.id).textContent()).toMatch(/^laptop \(Ada's laptop\)\s*· self-hosted · waiting for a worker · 1 call$/);
    expect(await ada.hand(cloud.id).textContent()).toMatch(/^platform sandboxes\s*· cloud, primary · sandbox ready · 1 call$/);
    // a call for a worker is not one for a person: no banner asks anyone here
    expect(await ada.needsPersonBanner.count()).toBe(0);
    expect(await title(ada)).not.toMatch(/Needs you/);
    await screenshot(ada.page, "hands-waiting");

    // a worker of the laptop takes the item and posts the result with the item's token, as the SDK's worker does: the wait ends, live
    const { data } = await api("GET", `/v1/sessions/${id}/events?limit=100`);
    const bash = (data as Array<{ type: string; id: string; name?: string; environment_id?: string }>).find((e) => e.type === "agent.tool_use" && e.name === "bash")!;
    expect(bash.environment_id).toBe(laptop.id);
    const work = await api("GET", `/v1/environments/${laptop.id}/work/poll?block_ms=999`);
    expect(work.data).toEqual({ type: "session", id });
    await api("POST", `/v1/environments/${laptop.id}/work/${work.id}/ack`);
    const token = (JSON.parse(Buffer.from(work.secret, "base64url").toString("utf8")) as { sessions_token: string }).sessions_token;
    const asWorker = apiClient(() => ({ baseUrl: app.url, apiKey: token }));
    await asWorker("POST", `/v1/sessions/${id}/events`, { events: [{ type: "user.tool_result", tool_use_id: bash.id, content: [{ type: "text", text: "adas-laptop" }] }] });
    await ada.expectAgentMessage("adas-laptop");
    await waitUntil("the laptop to be idle again", async () => (await state(laptop.id)) === "idle");
    expect(await ada.hand(laptop.id).textContent()).toMatch(/^laptop \(Ada's laptop\)\s*· self-hosted · idle · 1 call$/);
    // and a reload folds the same from the log
    await ada.goto(id);
    expect([await state(cloud.id), await state(laptop.id)]).toEqual(["ready", "idle"]);
  });
});
