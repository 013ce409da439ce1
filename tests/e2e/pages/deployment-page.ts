import type { Locator, Page } from "@playwright/test";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

/** /t/<slug>/deployments/<id>: what a deployment runs and when, its runs, Run now, Pause/Unpause, Archive. */
export class DeploymentPage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly deploymentId: string,
  ) {
    super(page, team);
  }
  async goto(): Promise<void> {
    await this.page.goto(this.url("deployments", this.deploymentId));
  }
  /** The status badge next to the title (Active, Paused, Archived). */
  status(label: "Active" | "Paused" | "Archived"): Locator {
    return this.page.getByRole("main").getByText(label, { exact: true }).first();
  }
  async runNow(): Promise<void> {
    await this.page.getByRole("button", { name: "Run now" }).click();
  }
  async pause(): Promise<void> {
    await this.page.getByRole("button", { name: "Pause", exact: true }).click();
  }
  get unpauseButton(): Locator {
    return this.page.getByRole("button", { name: "Unpause", exact: true });
  }
  get runs(): Locator {
    return this.page.getByRole("table", { name: "Runs" }).locator("tbody tr");
  }
  /** The link to the session a run created. */
  get sessionLinks(): Locator {
    return this.runs.getByRole("link", { name: /^sesn?_/ });
  }
}
