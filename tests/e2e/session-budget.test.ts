import type { Browser, Locator } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import type { TTeam } from "./pages/app-page";
import { AgentPage } from "./pages/agent-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { SessionPage } from "./pages/session-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { signUp } from "./sign-up";
import { apiClient } from "./api-client";

// Usage and the budget as the team sees them, in Debian's Chromium against the real server and a
// scripted model with fixed token counts: the session page's bar fills as the list cost grows and
// turns to "reached", the session stops with "budget reached", a raised budget shows at once (live,
// from the `session.updated` event), and the agent's page and the team overview total the cost.

const screenshot = screenshotter("session-budget");
const PERSON = { name: "Bea Budget", email: "bea@example.com", password: "counts-every-cent" };
// 54¢ at Sonnet 4.6 list prices (see tests/integration/api/session-budget.test.ts)
const TURN_54_CENTS = { input_tokens: 100_000, output_tokens: 10_000, cache_creation_input_tokens: 20_000, cache_read_input_tokens: 50_000 };
const budget = (cents: number) => ({ type: "limit", max_list_cost: { amount: String(cents), currency: "USD" } });

class BudgetSessionPage extends SessionPage {
  get budgetBar(): Locator {
    return this.page.getByTestId("budget-bar");
  }
  get meter(): Locator {
    return this.page.getByRole("meter", { name: "List cost against the session's budget" });
  }
  get listCost(): Locator {
    return this.page.getByTestId("list-cost");
  }
  get statusBadge(): Locator {
    return this.page.getByTestId("session-status");
  }
}

describe("usage and budgets in the web app", () => {
  let model: MessagesApiServer;
  let app: AppServer;
  let browser: Browser;
  let team: TTeam;
  let apiKey: string;
  let session: BudgetSessionPage;
  let agentId: string;
  let sessionId: string;
  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    model = await startMessagesApiServer({ interChunkDelayMs: 1 });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: model.url } });
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    team = await signUp(page, app, PERSON);
    session = new BudgetSessionPage(page, team);
  });
  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await model?.close();
  });

  it("shows the list cost against the budget, stops at it, and follows a raise live", async () => {
    const keys = new ApiKeysPage(session.page, team);
    await keys.goto();
    apiKey = await keys.createKey("budget test");
    agentId = (await api("POST", "/v1/agents", { name: "Priced helper", model: "claude-sonnet-4-6" })).id;
    const environmentId = (await api("POST", "/v1/environments", { name: "budget env" })).id;
    sessionId = (await api("POST", "/v1/sessions", { agent: agentId, environment_id: environmentId, title: "Capped", budget: budget(50) })).id;

    await session.goto(sessionId);
    await expect.poll(() => session.budgetBar.textContent(), { timeout: WAIT_MS }).toContain("$0.00 of $0.50 budget");
    expect(await session.budgetBar.getAttribute("data-reached")).toBe("false");

    model.enqueue({ content: [{ type: "text", text: "That was expensive." }], usage: TURN_54_CENTS });
    await session.send("spend some");
    await session.expectAgentMessage("That was expensive.");
    await expect.poll(() => session.budgetBar.getAttribute("data-reached"), { timeout: WAIT_MS }).toBe("true");
    expect(await session.budgetBar.textContent()).toContain("$0.54 of $0.50 budget");
    expect(await session.meter.getAttribute("aria-valuetext")).toBe("$0.54 of $0.50 budget");
    expect(await session.listCost.textContent()).toBe("$0.540");

    const requests = model.requests.length;
    await session.send("and more");
    await expect.poll(() => session.statusBadge.textContent(), { timeout: WAIT_MS }).toContain("budget reached");
    expect(model.requests.length).toBe(requests);
    await screenshot(session.page, "budget-reached");

    // raised through the API: the page shows it without a reload
    await api("POST", `/v1/sessions/${sessionId}`, { budget: budget(200) });
    await expect.poll(() => session.budgetBar.textContent(), { timeout: WAIT_MS }).toContain("$0.54 of $2.00 budget");
    expect(await session.budgetBar.getAttribute("data-reached")).toBe("false");
  });

  it("totals the list cost of an agent's sessions and of the team's", async () => {
    const agentPage = new AgentPage(session.page, team);
    await agentPage.goto(agentId);
    const agentTotal = session.page.getByTestId("list-cost-total");
    await agentTotal.waitFor({ timeout: WAIT_MS });
    expect(await agentTotal.textContent()).toContain("List cost of this agent's 1 session: $0.540");

    const overview = new TeamOverviewPage(session.page, team);
    await overview.goto();
    expect(await session.page.getByTestId("list-cost-total").textContent()).toContain("List cost of the team's 1 session: $0.540");
  });
});
