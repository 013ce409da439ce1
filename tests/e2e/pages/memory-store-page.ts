import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

/** /t/<slug>/memory/<store>: the store's memories as a tree of paths, a new memory's form, archive. */
export class MemoryStorePage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly storeId: string,
  ) {
    super(page, team);
  }
  async goto(): Promise<void> {
    await this.page.goto(this.url("memory", this.storeId));
  }
  get tree(): Locator {
    return this.page.getByRole("list", { name: "Memories" });
  }
  /** The tree's folder and file names, in the order shown (folders end with `/`). */
  async treeEntries(): Promise<string[]> {
    return (await this.tree.locator("summary, a").allInnerTexts()).map((text) => text.trim());
  }
  get path(): Locator {
    return this.page.locator("#memory-path");
  }
  get content(): Locator {
    return this.page.locator("#memory-content");
  }
  /** Submits the new memory's form (see `waitForMemory` when it is accepted). */
  async addMemory(path: string, content: string): Promise<void> {
    await this.path.fill(path);
    await this.content.fill(content);
    await this.page.getByRole("button", { name: "Add memory" }).click();
  }
  /** After a memory was added: waits for its page and returns its id. */
  async waitForMemory(): Promise<string> {
    await this.page.waitForURL(/\/memories\/mem_[0-9A-Z]+$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
  get dreamModel(): Locator {
    return this.page.locator("#dream-model");
  }
  /** Submits the "Dream" form with this model. */
  async dream(model: string): Promise<void> {
    await this.dreamModel.fill(model);
    await this.page.getByRole("button", { name: "Dream", exact: true }).click();
  }
  /** The "Dream" form's message (an error, or the dream started). */
  get dreamMessage(): Locator {
    return this.page.getByRole("form", { name: "Dream" }).locator("[data-form-message]");
  }
  async archive(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Archive ${name}` }).click();
    await this.page.getByRole("button", { name: "Archive", exact: true }).click();
  }
  get archivedNotice(): Locator {
    return this.page.getByText("This memory store is archived");
  }
  get newMemoryHeading(): Locator {
    return this.page.getByRole("heading", { name: "New memory" });
  }
}
