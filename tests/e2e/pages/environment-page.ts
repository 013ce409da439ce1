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
  /** A self-hosted environment's keys: creates one named `name` and returns it, read from the field that shows it once. */
  async createKey(name: string): Promise<string> {
    await this.page.getByLabel("Key name").fill(name);
    await this.page.getByRole("button", { name: "Create key" }).click();
    return this.page.getByRole("textbox", { name: "Environment key", exact: true }).inputValue();
  }
  get keys(): Locator {
    return this.page.getByRole("list", { name: "Environment keys" });
  }
  get workerCommand(): Locator {
    return this.page.getByLabel("Worker command");
  }
  /** Revokes the key named `name`, confirming when asked, and waits for it to leave the list. */
  async revokeKey(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Revoke ${name}` }).click();
    await this.page.getByRole("button", { name: "Revoke", exact: true }).click();
    await this.page.getByText("No environment keys yet").waitFor({ timeout: WAIT_MS });
  }
  /** What the page says when a delete is refused because sessions use the environment. */
  get inUseRefusal(): Locator {
    return this.page.getByText("Sessions use this environment, so it cannot be deleted.", { exact: false });
  }
}
