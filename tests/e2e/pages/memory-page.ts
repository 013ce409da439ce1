import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

/** /t/<slug>/memory/<store>/memories/<id>: a memory's content to edit, its versions compared, redaction. */
export class MemoryPage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly storeId: string,
    readonly memoryId: string,
  ) {
    super(page, team);
  }
  async goto(): Promise<void> {
    await this.page.goto(this.url("memory", this.storeId, "memories", this.memoryId));
  }
  get content(): Locator {
    return this.page.locator("#memory-content");
  }
  /** Saves new content (as a new version, on the condition nobody wrote since the page was opened). */
  async save(content: string): Promise<void> {
    await this.content.fill(content);
    await this.page.getByRole("button", { name: "Save" }).click();
  }
  get savedNotice(): Locator {
    return this.page.getByText("Saved as a new version.");
  }
  get conflictNotice(): Locator {
    return this.page.getByText("This memory was changed since you opened it; nothing was saved.");
  }
  /** The version rows of the history, newest first. */
  get versions(): Locator {
    return this.page.getByRole("list", { name: "Versions" }).getByRole("listitem");
  }
  version(n: number): Locator {
    return this.page.getByRole("listitem", { name: `Version ${n}`, exact: true });
  }
  /** The "Redacted" badge of version `n`. */
  redactedBadge(n: number): Locator {
    return this.version(n).getByText("Redacted", { exact: true });
  }
  /** The diff's changed lines as `+text` / `-text`, in order. */
  async diffLines(): Promise<string[]> {
    const rows = this.page.locator("tr[data-diff=added], tr[data-diff=removed]");
    return Promise.all(
      (await rows.all()).map(async (row) => `${(await row.getAttribute("data-diff")) === "added" ? "+" : "-"}${(await row.locator("td").nth(3).innerText()).replace(/^(Added|Removed):\s*/, "")}`),
    );
  }
  /** Compares two versions with the form's selects. */
  async compare(from: number, to: number): Promise<void> {
    await this.page.getByLabel("From version").selectOption({ label: `Version ${from}` });
    await this.page.getByLabel("To version").selectOption({ label: `Version ${to}` });
    await this.page.getByRole("button", { name: "Compare" }).click();
    await this.page.waitForURL(/from=memver_.*to=memver_/, { timeout: WAIT_MS });
  }
  /** Asks to redact version `n`, then confirms (`confirm: false` cancels instead). */
  async redact(n: number, options: { confirm: boolean } = { confirm: true }): Promise<void> {
    await this.page.getByRole("button", { name: `Redact version ${n}` }).click();
    await this.page.getByText("Erase this version's content for good?").waitFor({ timeout: WAIT_MS });
    await this.page.getByRole("button", { name: options.confirm ? "Redact" : "Cancel", exact: true }).click();
  }
}
