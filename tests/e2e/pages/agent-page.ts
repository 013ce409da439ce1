import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/**
 * The agent builder: /t/<slug>/agents/new, and /t/<slug>/agents/<id> where the same form saves
 * each change as a new version.
 */
export class AgentPage extends TeamPage {
  async gotoNew(): Promise<void> {
    await this.page.goto(this.url("agents", "new"));
  }
  async goto(agentId: string): Promise<void> {
    await this.page.goto(this.url("agents", agentId));
  }

  get name(): Locator {
    return this.page.locator("#agent-name");
  }
  get model(): Locator {
    return this.page.locator("#agent-model");
  }
  /** What the page says under the model field (the hint it is described by). */
  modelHint(): Promise<string> {
    return this.page.locator("#agent-model-hint").innerText();
  }
  get system(): Locator {
    return this.page.locator("#agent-system");
  }
  /** What the form says after a save (saved, unchanged, or refused). */
  get status(): Locator {
    return this.page.locator("[data-form-message]");
  }
  heading(name: string): Locator {
    return this.page.getByRole("heading", { name });
  }
  /** The version the page shows the agent at. */
  version(n: number): Locator {
    return this.page.getByText(`Version ${n}`, { exact: true });
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
  /** A field of the MCP server row `index`: its name, URL, "enable tools" checkbox or permission policy. */
  mcpField(index: number, part: "name" | "url" | "enabled" | "policy"): Locator {
    return this.page.locator(`[name="mcp.${index}.${part}"]`);
  }
  get addMcpServerButton(): Locator {
    return this.page.getByRole("button", { name: "Add MCP server" });
  }
  /** Adds an MCP server row and fills its name and URL. */
  async addMcpServer(index: number, server: { name: string; url: string }): Promise<void> {
    await this.addMcpServerButton.click();
    await this.mcpField(index, "name").fill(server.name);
    await this.mcpField(index, "url").fill(server.url);
  }
  async removeMcpServer(label: string): Promise<void> {
    await this.page.getByRole("button", { name: `Remove ${label}` }).click();
  }
  get addCustomToolButton(): Locator {
    return this.page.getByRole("button", { name: "Add custom tool" });
  }
  get startSessionLink(): Locator {
    return this.page.getByRole("link", { name: "Start session" });
  }

  async fill(fields: { name?: string; model?: string; system?: string }): Promise<void> {
    if (fields.name !== undefined) await this.name.fill(fields.name);
    if (fields.model !== undefined) await this.model.fill(fields.model);
    if (fields.system !== undefined) await this.system.fill(fields.system);
  }
  /** Adds a custom tool row from the keyboard, and waits for the cursor in its name field. */
  async addCustomToolWithKeyboard(index: number): Promise<void> {
    await this.addCustomToolButton.focus();
    await this.page.keyboard.press("Enter");
    await this.page.waitForFunction((name) => document.activeElement?.getAttribute("name") === name, `custom.${index}.name`);
  }
  async removeCustomTool(label: string): Promise<void> {
    await this.page.getByRole("button", { name: `Remove ${label}` }).click();
  }
  /** Creates the agent, or saves the form as a new version. */
  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: /^(Create agent|Save as a new version)$/ }).click();
  }
  /** After "Create agent": waits for the new agent's page and returns its id. */
  async waitForCreated(): Promise<string> {
    await this.page.waitForURL(/\/agents\/agent_[0-9A-Z]+\?created=1$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
  /** Waits for a message of the form (or the page) containing `text`. */
  async waitForMessage(text: string): Promise<void> {
    await this.page.getByText(text).waitFor({ timeout: WAIT_MS });
  }
  /** Whether the focus is on the form's message (where a refused save puts it). */
  focusIsOnStatus(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement?.closest("[data-form-message]") !== null);
  }
  /** After a conflicting save: the link that loads the newer version. */
  async reload(): Promise<void> {
    await this.page.getByRole("link", { name: "Reload the agent" }).click();
  }
  async openVersionHistory(): Promise<void> {
    await this.page.getByRole("link", { name: "Version history" }).click();
    await this.page.waitForURL(/\/versions$/);
  }
  /** Archives the agent named `name`, answering the question it asks first. */
  async archive(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Archive ${name}` }).click();
    await this.page.getByText("Archive this agent?").waitFor();
    await this.page.getByRole("button", { name: "Archive", exact: true }).click();
    await this.page.getByText("This agent is archived").waitFor({ timeout: WAIT_MS });
  }
}
