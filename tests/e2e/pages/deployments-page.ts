import type { Locator } from "@playwright/test";
import { TeamPage } from "./team-page";

/** /t/<slug>/deployments: the team's deployments with their schedule, status and next runs. */
export class DeploymentsPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("deployments"));
  }
  get rows(): Locator {
    return this.page.getByRole("table", { name: "Deployments" }).locator("tbody tr");
  }
  async open(name: string): Promise<void> {
    await this.page.getByRole("link", { name, exact: true }).click();
  }
}
