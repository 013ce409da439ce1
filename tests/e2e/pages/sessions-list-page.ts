import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** The filters of the list, as its form names them; an option is chosen by its label. */
export type TSessionFilters = { search?: string; status?: string; agent?: string; startedBy?: string };

/** /t/<slug>/sessions: the team's sessions, each with its status kept live; search, filters, pages, renaming. */
export class SessionsListPage extends TeamPage {
  /** Opens the list, with `search` as its address's query (`?status=idle&…`) when given. */
  async goto(search = ""): Promise<void> {
    await this.page.goto(`${this.url("sessions")}${search}`);
  }
  get noSessions(): Locator {
    return this.page.getByText("No sessions yet");
  }
  get noMatches(): Locator {
    return this.page.getByText("No sessions match");
  }
  async startSession(): Promise<void> {
    await this.page.getByRole("link", { name: "Start a session" }).click();
  }
  get list(): Locator {
    return this.page.getByRole("list", { name: "Sessions", exact: true });
  }
  get rows(): Locator {
    return this.list.getByRole("listitem");
  }
  row(title: string): Locator {
    return this.page.getByRole("listitem").filter({ hasText: title });
  }
  rowStatus(title: string): Promise<string | null> {
    return this.row(title).locator("[data-status]").getAttribute("data-status");
  }
  link(title: RegExp): Locator {
    return this.page.getByRole("link", { name: title });
  }
  /** The titles of the rows shown, top to bottom. */
  async titles(): Promise<string[]> {
    return (await this.rows.getByTestId("session-title").allTextContents()).map((text) => text.trim());
  }
  /** What a row says of its session besides its title. */
  async details(title: string): Promise<{ agent: string; starter: string; cost: string }> {
    const row = this.row(title);
    const [agent, starter, cost] = await Promise.all(["session-agent", "session-starter", "session-cost"].map((id) => row.getByTestId(id).textContent()));
    return { agent: agent ?? "", starter: starter ?? "", cost: cost ?? "" };
  }

  /** Fills the search and the filters given, leaves the others as they are, and applies them. */
  async filter(filters: TSessionFilters): Promise<void> {
    const form = this.page.getByRole("search", { name: "Search and filter sessions" });
    if (filters.search !== undefined) await form.getByLabel("Search").fill(filters.search);
    if (filters.status !== undefined) await form.getByLabel("Status").selectOption({ label: filters.status });
    if (filters.agent !== undefined) await form.getByLabel("Agent").selectOption({ label: filters.agent });
    if (filters.startedBy !== undefined) await form.getByLabel("Started by").selectOption({ label: filters.startedBy });
    const url = this.page.url();
    await form.getByRole("button", { name: "Apply" }).click();
    await this.page.waitForURL((next) => next.toString() !== url, { timeout: WAIT_MS });
  }
  async clearFilters(): Promise<void> {
    await this.page.getByRole("search").getByRole("link", { name: "Clear" }).click();
    await this.page.waitForURL(/\/sessions$/, { timeout: WAIT_MS });
  }
  /** The values the filter form shows (the address's, after a load). */
  async filterValues(): Promise<Required<TSessionFilters>> {
    const form = this.page.getByRole("search", { name: "Search and filter sessions" });
    const selected = (label: string) => form.getByLabel(label).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? "");
    return {
      search: await form.getByLabel("Search").inputValue(),
      status: await selected("Status"),
      agent: await selected("Agent"),
      startedBy: await selected("Started by"),
    };
  }
  /** The note naming the parts of the address the list ignored. */
  get ignoredNote(): Locator {
    return this.page.getByRole("status").filter({ hasText: "Part of this address was ignored" });
  }

  get olderLink(): Locator {
    return this.page.getByRole("navigation", { name: "Pages of sessions" }).getByRole("link", { name: "Older →" });
  }
  get newerLink(): Locator {
    return this.page.getByRole("navigation", { name: "Pages of sessions" }).getByRole("link", { name: "← Newer" });
  }
  async older(): Promise<void> {
    await this.olderLink.click();
    await this.page.waitForURL(/[?&]after=sesn_/, { timeout: WAIT_MS });
  }
  async newer(): Promise<void> {
    await this.newerLink.click();
    await this.page.waitForURL(/[?&]before=sesn_/, { timeout: WAIT_MS });
  }

  /** Opens the title of the row showing `title` for editing and types `next`; `submit` presses Enter. */
  async rename(title: string, next: string, options: { submit?: boolean } = { submit: true }): Promise<void> {
    await this.page.getByRole("button", { name: `Rename ${title}`, exact: true }).click();
    const field = this.page.getByRole("textbox", { name: "Session title" });
    await field.fill(next);
    if (options.submit) await field.press("Enter");
  }
  get titleField(): Locator {
    return this.page.getByRole("textbox", { name: "Session title" });
  }
  /** The refusal shown under the title being edited. */
  get renameError(): Locator {
    return this.list.getByRole("alert");
  }

  /** The note the list shows after a session was deleted. */
  get deletedNote(): Locator {
    return this.page.getByRole("status").filter({ hasText: "Session deleted" });
  }
}
