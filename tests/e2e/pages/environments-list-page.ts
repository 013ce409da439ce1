import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/environments: the team's environments, with each one's network and packages. */
export class EnvironmentsListPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("environments"));
  }
  get noEnvironments(): Locator {
    return this.page.getByText("No environments yet");
  }
  /** Follows the empty state's call to action to the environment form. */
  async createEnvironment(): Promise<void> {
    await this.page.getByRole("link", { name: "Create an environment" }).click();
  }
  row(name: RegExp): Locator {
    return this.page.getByRole("row", { name });
  }
  link(name: string): Locator {
    return this.page.getByRole("link", { name });
  }
  /** Opens the environment named `name` and returns its id. */
  async open(name: string): Promise<string> {
    await this.link(name).click();
    await this.page.waitForURL(/\/environments\/env_[0-9A-Z]+$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
