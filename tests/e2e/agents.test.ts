import { type Browser, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { fieldError, waitForFieldError } from "./field-errors";
import { overflowWidth, type TTeam } from "./pages/app-page";
import { AgentPage } from "./pages/agent-page";
import { AgentVersionsPage } from "./pages/agent-versions-page";
import { AgentsListPage } from "./pages/agents-list-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { EnvironmentPage } from "./pages/environment-page";
import { EnvironmentsListPage } from "./pages/environments-list-page";
import { NotFoundPage } from "./pages/not-found-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { signUp } from "./sign-up";

// The agent and environment pages in Debian's Chromium against the real server: create an agent
// (a bad input schema is refused next to its field), edit it into new versions, meet a conflicting
// edit from another tab, compare versions, archive; MCP servers with their tools (refused next to
// the row, read back through the API); then environments with a network policy and packages, and a
// delete refused while a session uses the environment.

const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine", team: "ada-lovelace" };
const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "compilers-rule", team: "grace-hopper" };
const TEAM = "/t/ada-lovelace";

const screenshot = screenshotter("agents");

describe("agents and environments in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let team: TTeam;
  let form: AgentPage;
  let agentId: string;
  let apiKey: string;
  let mcpAgentId: string;

  beforeAll(async () => {
    app = await startAppServer();
    team = { origin: app.url, slug: ADA.team };
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    form = new AgentPage(page, team);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("starts from an empty list with a call to action", async () => {
    await signUp(page, app, ADA);

    const agents = new AgentsListPage(page, team);
    await new TeamOverviewPage(page, team).openFromNav("Agents");
    await agents.noAgents.waitFor();
    expect(await agents.navLink("Agents").getAttribute("aria-current")).toBe("page");
    await screenshot(page, "list-empty");
    await agents.createAgent();
  });

  it("refuses bad input next to each field, and focuses the first one", async () => {
    await form.name.waitFor();
    // a new agent starts on the server's default model (DEFAULT_MODEL); this server runs the demo model, and says so
    expect(await form.model.inputValue()).toBe("claude-sonnet-4-5");
    expect(await form.modelHint()).toContain("the built-in demo model answers every agent, whatever the id, free of charge");
    await form.model.fill("");
    // The workspace tools start enabled, the web tools (not run by this server) do not.
    expect(await form.toolEnabled("bash").isChecked()).toBe(true);
    expect(await form.toolEnabled("web_search").isChecked()).toBe(false);

    await form.submit();
    await waitForFieldError(form.name, "Give the agent a name");
    expect(await fieldError(form.model)).toContain("Enter a model");
    expect(await form.focusedId()).toBe("agent-name");
    // fixing a field clears its error at once; the others stay until the next submit
    await form.name.fill("Researcher");
    expect(await fieldError(form.name)).toBeNull();
    expect(await fieldError(form.model)).toContain("Enter a model");

    await form.fill({ name: "Researcher", model: "claude-sonnet-4-5", system: "You are careful.\nCite your sources.\nAnswer briefly." });
    await form.toolPolicy("bash").selectOption("always_ask");

    // Keyboard only: the add button makes a row and puts the cursor in its name.
    await form.addCustomToolWithKeyboard(0);
    await page.keyboard.type("lookup");
    await form.customField(0, "description").fill("Looks a word up");
    await form.customField(0, "input_schema").fill('{ "type": "object", "properties": { "word": { "type": "string" } }');
    await form.submit();
    await waitForFieldError(form.customField(0, "input_schema"), /^⚠?\s*input_schema: not valid JSON: /);
    expect(await fieldError(form.name)).toBeNull();
    expect(await form.focusedId()).toBe("agent-custom-0-input-schema");
    await screenshot(page, "new-bad-json");

    await form.customField(0, "input_schema").fill('{ "type": "string" }');
    await form.submit();
    await waitForFieldError(form.customField(0, "input_schema"), 'input_schema.type: must be "object": a custom tool takes a JSON object as input');

    // A second tool with the same name: the API's own check, shown next to that tool's name.
    await form.customField(0, "input_schema").fill('{ "type": "object", "properties": { "word": { "type": "string" } }, "required": ["word"] }');
    await form.addCustomToolButton.click();
    await form.customField(1, "name").fill("lookup");
    await form.submit();
    await waitForFieldError(form.customField(1, "name"), 'duplicate custom tool name "lookup"');
    await form.removeCustomTool("Custom tool 2 (lookup)");
    expect(await form.focusedText()).toContain("Add custom tool");
  });

  it("creates version 1 and opens the agent", async () => {
    await form.submit();
    agentId = await form.waitForCreated();
    expect(await form.status.innerText()).toContain("Agent created: saved as version 1.");
    await form.heading("Researcher").waitFor();
    expect(await form.toolPolicy("bash").inputValue()).toBe("always_ask");
    expect(await form.customField(0, "name").inputValue()).toBe("lookup");
    expect(new URL((await form.startSessionLink.getAttribute("href"))!, app.url).toString()).toBe(`${app.url}${TEAM}/sessions/new?agent=${agentId}`);
    await screenshot(page, "created");
  });

  it("saves an edit as version 2, and an unchanged form as nothing", async () => {
    await form.system.fill("You are careful.\nCite two sources.\nAnswer briefly.");
    await form.toolEnabled("grep").uncheck();
    await form.submit();
    await form.waitForMessage("Saved as version 2.");
    await form.version(2).waitFor();

    await form.submit();
    await form.waitForMessage("No changes to save: this is still version 2.");
    await screenshot(page, "saved-v2");
  });

  it("refuses to overwrite an edit made meanwhile in another tab, and offers to reload", async () => {
    const other = await page.context().newPage();
    const otherForm = new AgentPage(other, team);
    await otherForm.goto(agentId);
    await otherForm.name.fill("Researcher (tab 2)");
    await otherForm.submit();
    await otherForm.waitForMessage("Saved as version 3.");
    await other.close();

    await form.model.fill("claude-opus-4-1");
    await form.submit();
    await form.waitForMessage("Not saved: this agent has a newer version");
    const answer = await form.status.innerText();
    expect(answer).toContain("Not saved: this agent has a newer version");
    expect(answer).toContain("it is now at version 3");
    expect(await form.focusIsOnStatus()).toBe(true);
    await screenshot(page, "conflict");
    await form.reload();
    await form.heading("Researcher (tab 2)").waitFor({ timeout: WAIT_MS });
    expect(await form.model.inputValue()).toBe("claude-sonnet-4-5");
  });

  it("lists the versions and shows what changed between any two", async () => {
    const history = new AgentVersionsPage(page, team);
    await form.openVersionHistory();
    await history.waitForList();
    expect(await history.versions.count()).toBe(3);
    expect(await history.versions.first().innerText()).toMatch(/Version 3\s+Current[\s\S]*changed name/);
    expect(await history.versions.nth(1).innerText()).toMatch(/changed system prompt, tools/);

    // By default the latest change: version 2 → 3 renamed the agent.
    expect(await history.removedLines()).toEqual([expect.stringContaining('"name": "Researcher",')]);
    expect(await history.addedLines()).toEqual([expect.stringContaining('"name": "Researcher (tab 2)",')]);

    await history.compare(1, 2);
    await screenshot(page, "versions-diff");
    const removed = (await history.removedLines()).join("\n");
    const added = (await history.addedLines()).join("\n");
    // The prompt's one changed line, and grep turned off; each marked with −/+ as well as colour.
    expect(removed).toMatch(/−\s+Removed:\s+"Cite your sources\.",/);
    expect(added).toMatch(/\+\s+Added:\s+"Cite two sources\.",/);
    expect(added).toContain('"name": "grep"');
    expect(await history.unchangedLines.count()).toBeGreaterThan(0);
  });

  it("archives the agent after asking, and the list hides it unless asked", async () => {
    await form.goto(agentId);
    await form.archive("Researcher (tab 2)");
    expect(await form.name.isDisabled()).toBe(true);
    expect(await form.startSessionLink.count()).toBe(0);
    await screenshot(page, "archived");

    const agents = new AgentsListPage(page, team);
    await agents.goto();
    await agents.noActiveAgents.waitFor();
    await agents.includeArchived();
    expect(await agents.row(/Researcher \(tab 2\)/).innerText()).toMatch(/Archived[\s\S]*claude-sonnet-4-5[\s\S]*v3/);
    await screenshot(page, "list-archived");
  });

  it("creates an environment with a limited network, refusing a bad host on its line", async () => {
    const environments = new EnvironmentsListPage(page, team);
    const environment = new EnvironmentPage(page, team);
    await environments.openFromNav("Environments");
    await environments.noEnvironments.waitFor();
    await environments.createEnvironment();
    await environment.name.fill("Build box");
    await environment.limitedNetwork.check();
    await environment.allowedHosts.fill("api.github.com\nnot a host\n*.example.com");
    await environment.allowPackageManagers.uncheck();
    await environment.packages("pip").fill("requests==2.32.3\n-e evil");
    await environment.create();
    await waitForFieldError(environment.allowedHosts, "Line 2 (“not a host”): not a host name");
    expect(await fieldError(environment.packages("pip"))).toContain("Line 2 (“-e evil”)");
    expect(await fieldError(environment.allowPackageManagers)).toContain("allow package managers");
    expect(await environment.focusedId()).toBe("environment-allowed-hosts");
    await screenshot(page, "environment-errors");

    await environment.allowedHosts.fill("api.github.com\n*.example.com");
    await environment.allowPackageManagers.check();
    await environment.packages("pip").fill("requests==2.32.3");
    await environment.create();
    await environment.waitForCreated();
    expect(await environment.allowedHosts.inputValue()).toBe("api.github.com\n*.example.com");
    // The kind of sandbox is fixed once created.
    expect(await environment.selfHosted.isDisabled()).toBe(true);

    await environment.packages("npm").fill("typescript@5");
    await environment.save();
    await screenshot(page, "environment-saved");

    await environments.goto();
    expect(await environments.row(/Build box/).innerText()).toMatch(/Cloud[\s\S]*Limited: 2 hosts, package managers[\s\S]*npm 1, pip 1/);
  });

  it("refuses to delete an environment a session uses, and deletes an unused one", async () => {
    const apiKeys = new ApiKeysPage(page, team);
    await apiKeys.goto();
    apiKey = await apiKeys.createKey("ui test");
    const api = async (route: string, body: unknown) => {
      const response = await fetch(`${app.url}${route}`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, route).toBe(200);
      return (await response.json()) as { id: string };
    };
    const environments = new EnvironmentsListPage(page, team);
    const environment = new EnvironmentPage(page, team);
    await environments.goto();
    const environmentId = await environments.open("Build box");
    const agent = await api("/v1/agents", {
      name: "Session agent",
      model: { id: "claude-test", effort: "low" },
      system: "First line.\nSecond line.",
      tools: [{ type: "agent_toolset_20260401", configs: [{ name: "web_fetch", allowed_domains: ["example.com"] }] }],
    });
    await api("/v1/sessions", { agent: agent.id, environment_id: environmentId });

    // An agent made through the API, saved unchanged in the browser: no new version.
    await form.goto(agent.id);
    await form.submit();
    await form.waitForMessage("No changes to save: this is still version 1.");
    await environment.goto(environmentId);

    await environment.delete("Build box");
    await environment.inUseRefusal.waitFor({ timeout: WAIT_MS });
    await screenshot(page, "environment-delete-refused");

    await environment.gotoNew();
    await environment.name.fill("Scratch");
    await environment.create();
    await environment.waitForCreated();
    await environment.delete("Scratch");
    await environment.waitForDeleted();
    expect(await environments.link("Scratch").count()).toBe(0);
    expect(await environments.link("Build box").count()).toBe(1);
  });

  it("makes a key for a self-hosted environment's workers: it polls that environment's queue and nothing else, until revoked", async () => {
    const environment = new EnvironmentPage(page, team);
    await environment.gotoNew();
    await environment.name.fill("Own machines");
    await environment.selfHosted.check();
    await environment.create();
    await environment.waitForCreated();
    const environmentId = /\/environments\/(env_[0-9A-Z]+)/.exec(page.url())![1]!;
    expect(await environment.workerCommand.textContent()).toContain(`npm run hands -- --environment ${environmentId}`);

    const key = await environment.createKey("build server");
    expect(key).toMatch(/^oma_/);
    await environment.keys.getByText("build server").waitFor({ timeout: WAIT_MS });
    await screenshot(page, "environment-key");
    const get = (route: string) => fetch(`${app.url}${route}`, { headers: { "x-api-key": key } }).then((response) => response.status);
    expect([200, 204]).toContain(await get(`/v1/environments/${environmentId}/work/poll`));
    expect(await get("/v1/agents")).toBe(401); // it is no team API key
    // nor is it listed among the team's keys
    const apiKeys = new ApiKeysPage(page, team);
    await apiKeys.goto();
    expect(await page.getByText("build server").count()).toBe(0);

    await environment.goto(environmentId);
    await environment.revokeKey("build server");
    expect(await get(`/v1/environments/${environmentId}/work/poll`)).toBe(401);
  });

  it("adds MCP servers with their tools, refusing a bad URL and a duplicate name next to the row, and the API reads them back", async () => {
    const read = async (id: string) => {
      const response = await fetch(`${app.url}/v1/agents/${id}`, { headers: { "x-api-key": apiKey } });
      expect(response.status).toBe(200);
      return (await response.json()) as { version: number; mcp_servers: unknown[]; tools: { type: string }[] };
    };
    await form.gotoNew();
    await form.fill({ name: "Connector" });
    await form.addMcpServer(0, { name: "docs", url: "docs.example.com/mcp" });
    // a new row starts with its tools on
    expect(await form.mcpField(0, "enabled").isChecked()).toBe(true);
    await form.addMcpServer(1, { name: "docs", url: "https://issues.example.com/mcp" });
    await form.submit();
    // The API's schema, then its cross-checks: each refusal by the row's field.
    await waitForFieldError(form.mcpField(0, "url"), "must be an http(s) URL");
    expect(await form.focusedId()).toMatch(/^agent-mcp-\d+-url$/);
    await form.mcpField(0, "url").fill("https://docs.example.com/mcp");
    await form.submit();
    await waitForFieldError(form.mcpField(1, "name"), 'duplicate MCP server name "docs"');
    await screenshot(page, "mcp-duplicate");

    await form.mcpField(1, "name").fill("issues");
    await form.mcpField(1, "policy").selectOption("always_ask");
    await form.mcpField(0, "enabled").uncheck();
    await form.submit();
    mcpAgentId = await form.waitForCreated();
    expect(await form.mcpField(1, "name").inputValue()).toBe("issues");
    const created = await read(mcpAgentId);
    expect(created.mcp_servers).toEqual([
      { type: "url", name: "docs", url: "https://docs.example.com/mcp" },
      { type: "url", name: "issues", url: "https://issues.example.com/mcp" },
    ]);
    expect(created.tools.filter((tool) => tool.type === "mcp_toolset")).toEqual([
      { type: "mcp_toolset", mcp_server_name: "docs", default_config: { enabled: false, permission_policy: { type: "always_allow" } }, configs: [] },
      { type: "mcp_toolset", mcp_server_name: "issues", default_config: { enabled: true, permission_policy: { type: "always_ask" } }, configs: [] },
    ]);
    await screenshot(page, "mcp-created");

    // Remove one, rename the other: version 2, its toolset renamed with it; saved again unchanged: nothing.
    await form.removeMcpServer("MCP server 1 (docs)");
    await form.mcpField(0, "name").fill("tracker");
    await form.submit();
    await form.waitForMessage("Saved as version 2.");
    await form.submit();
    await form.waitForMessage("No changes to save: this is still version 2.");
    const edited = await read(mcpAgentId);
    expect(edited.version).toBe(2);
    expect(edited.mcp_servers).toEqual([{ type: "url", name: "tracker", url: "https://issues.example.com/mcp" }]);
    expect(edited.tools.filter((tool) => tool.type === "mcp_toolset")).toEqual([
      { type: "mcp_toolset", mcp_server_name: "tracker", default_config: { enabled: true, permission_policy: { type: "always_ask" } }, configs: [] },
    ]);
  });

  it("shows another team's agents and environments to no one else, and an id of another team like an unknown one", async () => {
    const grace = await (await browser.newContext()).newPage();
    await signUp(grace, app, GRACE);
    const notFound = new NotFoundPage(grace);
    // Ada's team: not Grace's, so 404 before anything of the team is read.
    for (const route of [`${TEAM}/agents`, `${TEAM}/agents/${agentId}`, `${TEAM}/agents/${agentId}/versions`, `${TEAM}/environments`, `${TEAM}/environments/new`]) {
      expect(await notFound.visit(`${app.url}${route}`), route).toBe(404);
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
      expect(await notFound.visit(`${app.url}${route}`), route).toBe(404);
      await notFound.message.waitFor({ timeout: WAIT_MS });
      expect(await grace.content(), route).not.toContain("Researcher");
    }
    await grace.context().close();
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState() });
    const small = await phone.newPage();
    for (const [name, open] of [
      ["phone-agents", () => new AgentsListPage(small, team).goto({ archived: "include" })],
      ["phone-new-agent", () => new AgentPage(small, team).gotoNew()],
      ["phone-agent-mcp", () => new AgentPage(small, team).goto(mcpAgentId)],
      ["phone-versions", () => new AgentVersionsPage(small, team).goto(agentId, { from: 1, to: 2 })],
      ["phone-environments", () => new EnvironmentsListPage(small, team).goto()],
      ["phone-overview", () => new TeamOverviewPage(small, team).goto()],
    ] as const) {
      await open();
      expect(await overflowWidth(small), name).toBeLessThanOrEqual(0);
      await screenshot(small, name);
    }
    await phone.close();
  });
});
