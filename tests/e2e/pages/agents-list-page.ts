import type { Locator } from "@playwright/test";
import { TeamPage } from "./team-page";

/** /t/<slug>/agents: the team's agents, archived ones only when asked. */
export class AgentsListPage extends TeamPage {
  async goto(options: { archived?: "include" } = {}): Promise<void> {
    await this.page.goto(this.url(options.archived ? `agents?archived=${options.archived}` : "agents"));
  }
  /** The empty state of a team with no agents at all. */
  get noAgents(): Locator {
    return this.page.getByText("No agents yet");
  }
  /** The empty state when every agent is archived. */
  get noActiveAgents(): Locator {
    return this.page.getByText("No active agents");
  }
  /** Follows the empty state's call to action to the agent form. */
  async createAgent(): Promise<void> {
    await this.page.getByRole("link", { name: "Create an agent" }).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/agents/new$`));
  }
  async includeArchived(): Promise<void> {
    await this.page.getByRole("link", { name: "Including archived" }).click();
    await this.page.waitForURL(/archived=include/);
  }
  row(name: RegExp): Locator {
    return this.page.getByRole("row", { name });
  }
}
