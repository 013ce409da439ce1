import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, WAIT_MS } from "@/tests/fixtures/browser";
import { apiClient } from "./api-client";
import { teamUrl, type TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { signUp } from "./sign-up";

// The main pages, checked by axe-core (the engine behind the browsers' accessibility audits)
// against WCAG 2.1 A and AA, at 1280×800 (and five of them at a phone size), signed in with a session that has
// a conversation in it, and the replay a share link opens signed out. A violation of impact
// "serious" or "critical" fails the page; lesser ones are printed.

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const PERSON = { name: "Ada Access", email: "ada-a11y@example.com", password: "checks-every-page" };
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type TViolation = { id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> };

async function audit(page: Page, url: string): Promise<{ serious: string[]; minor: string[] }> {
  await page.goto(url, { waitUntil: "networkidle", timeout: WAIT_MS });
  const { violations } = (await new AxeBuilder({ page }).withTags(TAGS).analyze()) as { violations: TViolation[] };
  const line = (v: TViolation) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(", ")}`;
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return { serious: serious.map(line), minor: violations.filter((v) => !serious.includes(v)).map(line) };
}

describe("accessibility of the main pages", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let team: TTeam;
  let apiKey: string;
  const urls: Record<string, string> = {};
  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    app = await startAppServer(); // the built-in demo model answers
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: SIZES.desktop })).newPage();
    team = await signUp(page, app, PERSON);
    const keys = new ApiKeysPage(page, team);
    await keys.goto();
    apiKey = await keys.createKey("accessibility check");
    const agent = (await api("POST", "/v1/agents", { name: "Checker", model: "claude-sonnet-4-5", tools: [{ type: "agent_toolset_20260401" }] })) as { id: string };
    const environment = (await api("POST", "/v1/environments", { name: "Checks" })) as { id: string };
    const session = (await api("POST", "/v1/sessions", { agent: agent.id, environment_id: environment.id, title: "Reading the pages" })) as { id: string };
    await api("POST", `/v1/sessions/${session.id}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "Hello, please list the files here." }] }] });
    const share = (await api("POST", `/v1/sessions/${session.id}/share_links`, {})) as { path?: string; url?: string };
    Object.assign(urls, {
      "team overview": teamUrl(team),
      agents: teamUrl(team, "agents"),
      "new agent": teamUrl(team, "agents", "new"),
      agent: teamUrl(team, "agents", agent.id),
      environments: teamUrl(team, "environments"),
      "new environment": teamUrl(team, "environments", "new"),
      vaults: teamUrl(team, "vaults"),
      "new vault": teamUrl(team, "vaults", "new"),
      sessions: teamUrl(team, "sessions"),
      "new session": teamUrl(team, "sessions", "new"),
      session: teamUrl(team, "sessions", session.id),
      "API keys": teamUrl(team, "settings", "api-keys"),
      members: teamUrl(team, "settings", "members"),
      webhooks: teamUrl(team, "settings", "webhooks"),
      skills: teamUrl(team, "skills"),
      deployments: teamUrl(team, "deployments"),
    });
    urls.replay = new URL(share.path ?? share.url ?? "", app.url).toString();
  });

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 4,000 characters):\n${app.output().slice(-4_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  // every page at the desktop size; at the phone size the pages whose layout changes most there
  const PHONE_PAGES = ["team overview", "sessions", "session", "agent", "replay"];
  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`has no serious violation on the main pages (${size})`, async () => {
      await page.setViewportSize(viewport);
      const found: string[] = [];
      for (const [name, url] of Object.entries(urls).filter(([name]) => size === "desktop" || PHONE_PAGES.includes(name))) {
        const { serious, minor } = await audit(page, url);
        found.push(...serious.map((v) => `${name}: ${v}`));
        if (minor.length > 0) console.warn(`accessibility (${size}), ${name}: ${minor.join("; ")}`);
      }
      expect(Object.keys(urls)).toHaveLength(17);
      expect(found).toEqual([]);
    });
  }

  it("has no serious violation on the sign-in and sign-up pages, signed out", async () => {
    const guest = await (await browser.newContext({ viewport: SIZES.desktop })).newPage();
    const found: string[] = [];
    for (const path of ["/sign-in", "/sign-up", "/"]) found.push(...(await audit(guest, new URL(path, app.url).toString())).serious.map((v) => `${path}: ${v}`));
    await guest.close();
    expect(found).toEqual([]);
  });
});
