import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/vaults/new: a vault needs only a name. */
export class NewVaultPage extends TeamPage {
  get name(): Locator {
    return this.page.locator("#vault-name");
  }
  async create(): Promise<void> {
    await this.page.getByRole("button", { name: "Create vault" }).click();
  }
  /** After a successful create: waits for the new vault's page and returns its id. */
  async waitForCreated(): Promise<string> {
    await this.page.waitForURL(/\/vaults\/vlt_[0-9A-Za-z]+\?created=1$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
