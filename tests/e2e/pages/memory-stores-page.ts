import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/memory and /t/<slug>/memory/new: the team's memory stores, and a new one's form. */
export class MemoryStoresPage extends TeamPage {
  get noStores(): Locator {
    return this.page.getByText("No memory stores yet");
  }
  async startCreate(): Promise<void> {
    await this.page.getByRole("link", { name: "Create a memory store" }).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/memory/new$`), { timeout: WAIT_MS });
  }
  get name(): Locator {
    return this.page.locator("#store-name");
  }
  get description(): Locator {
    return this.page.locator("#store-description");
  }
  async create(): Promise<void> {
    await this.page.getByRole("button", { name: "Create store" }).click();
  }
  /** After a successful create: waits for the new store's page and returns its id. */
  async waitForCreated(): Promise<string> {
    await this.page.waitForURL(/\/memory\/memstore_[0-9A-Z]+\?created=1$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
