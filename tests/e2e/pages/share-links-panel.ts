import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";

/** The share links of the session page (behind its "Share…" button): each link's maker, views, copy and revoke. */
export class ShareLinksPanel {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole("button", { name: "Share…" }).click();
    await this.page.getByRole("button", { name: "Create link" }).waitFor({ timeout: WAIT_MS });
  }
  /** Creates a link; returns its address (from the field that shows it). */
  async create(): Promise<string> {
    await this.page.getByRole("button", { name: "Create link" }).click();
    return this.page.getByRole("textbox", { name: "New link" }).inputValue();
  }
  get links(): Locator {
    return this.page.getByRole("list", { name: "Share links" }).getByRole("listitem");
  }
  /** Who made each link and what its views say, newest first. */
  async summary(): Promise<{ creator: string; views: string; revoked: boolean }[]> {
    const items = await this.links.all();
    return Promise.all(
      items.map(async (item) => ({
        creator: ((await item.getByTestId("share-link-creator").textContent()) ?? "").trim(),
        views: ((await item.getByTestId("share-link-views").textContent()) ?? "").trim(),
        revoked: (await item.getByText("Revoked", { exact: true }).count()) > 0,
      })),
    );
  }
  /** Copies the `index`-th link (0: newest) again; returns the address the panel then shows. */
  async copyAgain(index: number): Promise<string> {
    const item = this.links.nth(index);
    const linkId = await item.getAttribute("data-link-id");
    await item.getByRole("button", { name: "Copy link" }).click();
    // the field says whose address it shows: wait for this link's
    const field = this.page.getByRole("textbox", { name: "Link address" }).and(this.page.locator(`[data-link-id="${linkId}"]`));
    await field.waitFor({ timeout: WAIT_MS });
    return field.inputValue();
  }
  /** Revokes the `index`-th link, accepting the browser's confirmation, and waits for it to say so. */
  async revoke(index: number): Promise<void> {
    const item = this.links.nth(index);
    this.page.once("dialog", (dialog) => void dialog.accept());
    await item.getByRole("button", { name: "Revoke" }).click();
    await item.getByText("Revoked", { exact: true }).waitFor({ timeout: WAIT_MS });
  }
  get error(): Locator {
    return this.page.getByRole("alert");
  }
}
