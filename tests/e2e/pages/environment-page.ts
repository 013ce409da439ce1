import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/environments/new and /t/<slug>/environments/<id>: the sandbox kind, network policy and packages. */
export class EnvironmentPage extends TeamPage {
  async gotoNew(): Promise<void> {
    await this.page.goto(this.url("environments", "new"));
  }
  async goto(environmentId: string): Promise<void> {
    await this.page.goto(this.url("environments", environmentId));
  }

  get name(): Locator {
    return this.page.getByLabel("Name", { exact: true });
  }
  get limitedNetwork(): Locator {
    return this.page.getByLabel(/^Limited/);
  }
  get selfHosted(): Locator {
    return this.page.getByLabel(/^Self-hosted/);
  }
  get allowedHosts(): Locator {
    return this.page.getByLabel("Allowed hosts");
  }
  get allowPackageManagers(): Locator {
    return this.page.getByLabel("Allow package managers");
  }
  packages(manager: "pip" | "npm"): Locator {
    return this.page.getByLabel(manager);
  }

  async create(): Promise<void> {
    await this.page.getByRole("button", { name: "Create environment" }).click();
  }
  /** After a successful create: waits for the new environment's page. */
  async waitForCreated(): Promise<void> {
    await this.page.waitForURL(/\/environments\/env_[0-9A-Z]+\?created=1$/, { timeout: WAIT_MS });
    await this.page.getByText("Environment created.").waitFor();
  }
  async save(): Promise<void> {
    await this.page.getByRole("button", { name: "Save changes" }).click();
    await this.page.getByText("Saved.", { exact: true }).waitFor({ timeout: WAIT_MS });
  }
  /** Deletes the environment named `name`, confirming when asked. */
  async delete(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Delete ${name}` }).click();
    await this.page.getByRole("button", { name: "Delete", exact: true }).click();
  }
  /** After a delete went through: waits for the environments list it leads to. */
  async waitForDeleted(): Promise<void> {
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/environments$`), { timeout: WAIT_MS });
  }
  /** What the page says when a delete is refused because sessions use the environment. */
  get inUseRefusal(): Locator {
    return this.page.getByText("Sessions use this environment, so it cannot be deleted.", { exact: false });
  }
}
