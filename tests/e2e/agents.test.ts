import { type Browser, type Locator, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { fieldError, waitForFieldError } from "@/tests/fixtures/field-errors";

// The agent and environment pages in Debian's Chromium against the real server: create an agent
// (a bad input schema is refused next to its field), edit it into new versions, meet a conflicting
// edit from another tab, compare versions, archive; then environments with a network policy and
// packages, and a delete refused while a session uses the environment.

const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine" };
const TEAM = "/t/ada-lovelace";

const screenshot = screenshotter("agents");

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);


/** The agent form, as a person uses it. */
class AgentFormPage {
  constructor(readonly page: Page) {}

  get name(): Locator {
    return this.page.locator("#agent-name");
  }
  get model(): Locator {
    return this.page.locator("#agent-model");
  }
  get system(): Locator {
    return this.page.locator("#agent-system");
  }
  get status(): Locator {
    return this.page.locator("[data-form-message]");
  }
  customField(index: number, part: "name" | "description" | "input_schema"): Locator {
    return this.page.locator(`[name="custom.${index}.${part}"]`);
  }
  toolEnabled(tool: string): Locator {
    return this.page.locator(`#agent-tool-${tool}`);
  }
  toolPolicy(tool: string): Locator {
    return this.page.getByLabel(`Permission policy for ${tool}`);
  }
  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: /^(Create agent|Save as a new version)$/ }).click();
  }
}


describe("agents and environments in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let form: AgentFormPage;
  let agentUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    form = new AgentFormPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("starts from an empty list with a call to action", async () => {
    await page.goto(`${app.url}/sign-up`);
    await page.getByLabel("Name").fill(ADA.name);
    await page.getByLabel("Email").fill(ADA.email);
    await page.getByLabel("Password").fill(ADA.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(new RegExp(`${TEAM}$`), { timeout: WAIT_MS });

    await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Agents" }).click();
    await page.waitForURL(new RegExp(`${TEAM}/agents$`));
    await page.getByText("No agents yet").waitFor();
    expect(await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Agents" }).getAttribute("aria-current")).toBe("page");
    await screenshot(page, "list-empty");
    await page.getByRole("link", { name: "Create an agent" }).click();
    await page.waitForURL(new RegExp(`${TEAM}/agents/new$`));
  });

  it("refuses bad input next to each field, and focuses the first one", async () => {
    await form.name.waitFor();
    // The workspace tools start enabled, the web tools (not run by this server) do not.
    expect(await form.toolEnabled("bash").isChecked()).toBe(true);
    expect(await form.toolEnabled("web_search").isChecked()).toBe(false);

    await form.submit();
    await waitForFieldError(form.name, "Give the agent a name");
    expect(await fieldError(form.model)).toContain("Enter a model");
    expect(await focusedId(page)).toBe("agent-name");

    await form.name.fill("Researcher");
    await form.model.fill("claude-sonnet-4-5");
    await form.system.fill("You are careful.\nCite your sources.\nAnswer briefly.");
    await form.toolPolicy("bash").selectOption("always_ask");

    // Keyboard only: the add button makes a row and puts the cursor in its name.
    await page.getByRole("button", { name: "Add custom tool" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "custom.0.name");
    await page.keyboard.type("lookup");
    await form.customField(0, "description").fill("Looks a word up");
    await form.customField(0, "input_schema").fill('{ "type": "object", "properties": { "word": { "type": "string" } }');
    await form.submit();
    await waitForFieldError(form.customField(0, "input_schema"), /^⚠?\s*input_schema: not valid JSON: /);
    expect(await fieldError(form.name)).toBeNull();
    expect(await focusedId(page)).toBe("agent-custom-0-input-schema");
    await screenshot(page, "new-bad-json");

    await form.customField(0, "input_schema").fill('{ "type": "string" }');
    await form.submit();
    await waitForFieldError(form.customField(0, "input_schema"), 'input_schema.type: must be "object": a custom tool takes a JSON object as input');

    // A second tool with the same name: the API's own check, shown next to that tool's name.
    await form.customField(0, "input_schema").fill('{ "type": "object", "properties": { "word": { "type": "string" } }, "required": ["word"] }');
    await page.getByRole("button", { name: "Add custom tool" }).click();
    await form.customField(1, "name").fill("lookup");
    await form.submit();
    await waitForFieldError(form.customField(1, "name"), 'duplicate custom tool name "lookup"');
    await page.getByRole("button", { name: "Remove Custom tool 2 (lookup)" }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Add custom tool");
  });

  it("creates version 1 and opens the agent", async () => {
    await form.submit();
    await page.waitForURL(/\/agents\/agent_[0-9A-Z]+\?created=1$/, { timeout: WAIT_MS });
    agentUrl = page.url().replace(/\?.*$/, "");
    expect(await form.status.innerText()).toContain("Agent created: saved as version 1.");
    await page.getByRole("heading", { name: "Researcher" }).waitFor();
    expect(await form.toolPolicy("bash").inputValue()).toBe("always_ask");
    expect(await form.customField(0, "name").inputValue()).toBe("lookup");
    const start = page.getByRole("link", { name: "Start session" });
    expect(new URL((await start.getAttribute("href"))!, app.url).toString()).toBe(`${app.url}${TEAM}/sessions/new?agent=${agentUrl.split("/").at(-1)}`);
    await screenshot(page, "created");
  });

  it("saves an edit as version 2, and an unchanged form as nothing", async () => {
    await form.system.fill("You are careful.\nCite two sources.\nAnswer briefly.");
    await form.toolEnabled("grep").uncheck();
    await form.submit();
    await page.getByText("Saved as version 2.").waitFor({ timeout: WAIT_MS });
    await page.getByText("Version 2", { exact: true }).waitFor();

    await form.submit();
    await page.getByText("No changes to save: this is still version 2.").waitFor({ timeout: WAIT_MS });
    await screenshot(page, "saved-v2");
  });

  it("refuses to overwrite an edit made meanwhile in another tab, and offers to reload", async () => {
    const other = await page.context().newPage();
    const otherForm = new AgentFormPage(other);
    await other.goto(agentUrl);
    await otherForm.name.fill("Researcher (tab 2)");
    await otherForm.submit();
    await other.getByText("Saved as version 3.").waitFor({ timeout: WAIT_MS });
    await other.close();

    await form.model.fill("claude-opus-4-1");
    await form.submit();
    await page.getByText("Not saved: this agent has a newer version").waitFor({ timeout: WAIT_MS });
    const answer = await form.status.innerText();
    expect(answer).toContain("Not saved: this agent has a newer version");
    expect(answer).toContain("it is now at version 3");
    expect(await page.evaluate(() => document.activeElement?.closest("[data-form-message]") !== null)).toBe(true);
    await screenshot(page, "conflict");
    await page.getByRole("link", { name: "Reload the agent" }).click();
    await page.getByRole("heading", { name: "Researcher (tab 2)" }).waitFor({ timeout: WAIT_MS });
    expect(await form.model.inputValue()).toBe("claude-sonnet-4-5");
  });

  it("lists the versions and shows what changed between any two", async () => {
    await page.getByRole("link", { name: "Version history" }).click();
    await page.waitForURL(/\/versions$/);
    await page.getByRole("list", { name: "Versions" }).waitFor({ timeout: WAIT_MS });
    const versions = page.getByRole("list", { name: "Versions" }).getByRole("listitem");
    expect(await versions.count()).toBe(3);
    expect(await versions.first().innerText()).toMatch(/Version 3\s+Current[\s\S]*changed name/);
    expect(await versions.nth(1).innerText()).toMatch(/changed system prompt, tools/);

    // By default the latest change: version 2 → 3 renamed the agent.
    expect(await page.locator('[data-diff="removed"]').allInnerTexts()).toEqual([expect.stringContaining('"name": "Researcher",')]);
    expect(await page.locator('[data-diff="added"]').allInnerTexts()).toEqual([expect.stringContaining('"name": "Researcher (tab 2)",')]);

    await page.getByLabel("From version").selectOption("1");
    await page.getByLabel("To version").selectOption("2");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(/from=1&to=2/);
    await page.getByRole("heading", { name: /Version 1 → version 2/ }).waitFor();
    await screenshot(page, "versions-diff");
    const removed = (await page.locator('[data-diff="removed"]').allInnerTexts()).join("\n");
    const added = (await page.locator('[data-diff="added"]').allInnerTexts()).join("\n");
    // The prompt's one changed line, and grep turned off; each marked with −/+ as well as colour.
    expect(removed).toMatch(/−\s+Removed:\s+"Cite your sources\.",/);
    expect(added).toMatch(/\+\s+Added:\s+"Cite two sources\.",/);
    expect(added).toContain('"name": "grep"');
    expect(await page.getByText(/unchanged lines/).count()).toBeGreaterThan(0);
  });

  it("archives the agent after asking, and the list hides it unless asked", async () => {
    await page.goto(agentUrl);
    await page.getByRole("button", { name: "Archive Researcher (tab 2)" }).click();
    await page.getByText("Archive this agent?").waitFor();
    await page.getByRole("button", { name: "Archive", exact: true }).click();
    await page.getByText("This agent is archived").waitFor({ timeout: WAIT_MS });
    expect(await form.name.isDisabled()).toBe(true);
    expect(await page.getByRole("link", { name: "Start session" }).count()).toBe(0);
    await screenshot(page, "archived");

    await page.goto(`${app.url}${TEAM}/agents`);
    await page.getByText("No active agents").waitFor();
    await page.getByRole("link", { name: "Including archived" }).click();
    await page.waitForURL(/archived=include/);
    const row = page.getByRole("row", { name: /Researcher \(tab 2\)/ });
    expect(await row.innerText()).toMatch(/Archived[\s\S]*claude-sonnet-4-5[\s\S]*v3/);
    await screenshot(page, "list-archived");
  });

  it("creates an environment with a limited network, refusing a bad host on its line", async () => {
    await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Environments" }).click();
    await page.getByText("No environments yet").waitFor();
    await page.getByRole("link", { name: "Create an environment" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Build box");
    await page.getByLabel(/^Limited/).check();
    const hosts = page.getByLabel("Allowed hosts");
    await hosts.fill("api.github.com\nnot a host\n*.example.com");
    await page.getByLabel("Allow package managers").uncheck();
    await page.getByLabel("pip").fill("requests==2.32.3\n-e evil");
    await page.getByRole("button", { name: "Create environment" }).click();
    await waitForFieldError(hosts, "Line 2 (“not a host”): not a host name");
    expect(await fieldError(page.getByLabel("pip"))).toContain("Line 2 (“-e evil”)");
    expect(await fieldError(page.getByLabel("Allow package managers"))).toContain("allow package managers");
    expect(await focusedId(page)).toBe("environment-allowed-hosts");
    await screenshot(page, "environment-errors");

    await hosts.fill("api.github.com\n*.example.com");
    await page.getByLabel("Allow package managers").check();
    await page.getByLabel("pip").fill("requests==2.32.3");
    await page.getByRole("button", { name: "Create environment" }).click();
    await page.waitForURL(/\/environments\/env_[0-9A-Z]+\?created=1$/, { timeout: WAIT_MS });
    await page.getByText("Environment created.").waitFor();
    expect(await page.getByLabel("Allowed hosts").inputValue()).toBe("api.github.com\n*.example.com");
    // The kind of sandbox is fixed once created.
    expect(await page.getByLabel(/^Self-hosted/).isDisabled()).toBe(true);

    await page.getByLabel("npm").fill("typescript@5");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.", { exact: true }).waitFor({ timeout: WAIT_MS });
    await screenshot(page, "environment-saved");

    await page.goto(`${app.url}${TEAM}/environments`);
    const row = page.getByRole("row", { name: /Build box/ });
    expect(await row.innerText()).toMatch(/Cloud[\s\S]*Limited: 2 hosts, package managers[\s\S]*npm 1, pip 1/);
  });

  it("refuses to delete an environment a session uses, and deletes an unused one", async () => {
    await page.goto(`${app.url}${TEAM}/settings/api-keys`);
    await page.getByLabel("Key name").fill("ui test");
    await page.getByRole("button", { name: "Create key" }).click();
    apiKey = await page.getByRole("textbox", { name: "API key", exact: true }).inputValue();
    const api = async (route: string, body: unknown) => {
      const response = await fetch(`${app.url}${route}`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, route).toBe(200);
      return (await response.json()) as { id: string };
    };
    await page.goto(`${app.url}${TEAM}/environments`);
    await page.getByRole("link", { name: "Build box" }).click();
    await page.waitForURL(/\/environments\/env_[0-9A-Z]+$/, { timeout: WAIT_MS });
    const environmentId = page.url().split("/").at(-1)!;
    const agent = await api("/v1/agents", {
      name: "Session agent",
      model: { id: "claude-test", effort: "low" },
      system: "First line.\nSecond line.",
      tools: [{ type: "agent_toolset_20260401", configs: [{ name: "web_fetch", allowed_domains: ["example.com"] }] }],
    });
    await api("/v1/sessions", { agent: agent.id, environment_id: environmentId });

    // An agent made through the API, saved unchanged in the browser: no new version.
    await page.goto(`${app.url}${TEAM}/agents/${agent.id}`);
    await form.submit();
    await page.getByText("No changes to save: this is still version 1.").waitFor({ timeout: WAIT_MS });
    await page.goto(`${app.url}${TEAM}/environments/${environmentId}`);

    await page.getByRole("button", { name: "Delete Build box" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByText("Sessions use this environment, so it cannot be deleted.", { exact: false }).waitFor({ timeout: WAIT_MS });
    await screenshot(page, "environment-delete-refused");

    await page.goto(`${app.url}${TEAM}/environments/new`);
    await page.getByLabel("Name", { exact: true }).fill("Scratch");
    await page.getByRole("button", { name: "Create environment" }).click();
    await page.waitForURL(/\/environments\/env_/, { timeout: WAIT_MS });
    await page.getByRole("button", { name: "Delete Scratch" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.waitForURL(new RegExp(`${TEAM}/environments$`), { timeout: WAIT_MS });
    expect(await page.getByRole("link", { name: "Scratch" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Build box" }).count()).toBe(1);
  });

  it("shows another team's agents and environments to no one else, and an id of another team like an unknown one", async () => {
    const grace = await (await browser.newContext()).newPage();
    await grace.goto(`${app.url}/sign-up`);
    await grace.getByLabel("Name").fill("Grace Hopper");
    await grace.getByLabel("Email").fill("grace@example.com");
    await grace.getByLabel("Password").fill("compilers-rule");
    await grace.getByRole("button", { name: "Create account" }).click();
    await grace.waitForURL(/\/t\/grace-hopper$/, { timeout: WAIT_MS });
    const agentId = agentUrl.split("/").at(-1)!;
    // Ada's team: not Grace's, so 404 before anything of the team is read.
    for (const route of [`${TEAM}/agents`, `${TEAM}/agents/${agentId}`, `${TEAM}/agents/${agentId}/versions`, `${TEAM}/environments`, `${TEAM}/environments/new`]) {
      const response = await grace.goto(`${app.url}${route}`);
      expect(response?.status(), route).toBe(404);
      expect(await grace.content(), route).not.toContain("Researcher");
    }
    // Ada's agent under Grace's own team reads exactly like an id that does not exist: a 404 (the
    // id's layout looks it up before anything streams).
    for (const route of [
      `/t/grace-hopper/agents/${agentId}`,
      `/t/grace-hopper/agents/${agentId}/versions`,
      "/t/grace-hopper/agents/agent_00000000000000000000000000",
      "/t/grace-hopper/environments/env_00000000000000000000000000",
    ]) {
      const response = await grace.goto(`${app.url}${route}`);
      expect(response?.status(), route).toBe(404);
      await grace.getByText("This page does not exist").waitFor({ timeout: WAIT_MS });
      expect(await grace.content(), route).not.toContain("Researcher");
    }
    await grace.context().close();
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState() });
    const small = await phone.newPage();
    for (const [name, route] of [
      ["phone-agents", `${TEAM}/agents?archived=include`],
      ["phone-new-agent", `${TEAM}/agents/new`],
      ["phone-versions", `${agentUrl.replace(app.url, "")}/versions?from=1&to=2`],
      ["phone-environments", `${TEAM}/environments`],
      ["phone-overview", TEAM],
    ] as const) {
      await small.goto(`${app.url}${route}`);
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
      await screenshot(small, name);
    }
    await phone.close();
  });
});
