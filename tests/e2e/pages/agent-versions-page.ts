import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/agents/<id>/versions: every version, and the difference between any two. */
export class AgentVersionsPage extends TeamPage {
  /** Opens the agent's versions, comparing `from` with `to` when given (the latest change otherwise). */
  async goto(agentId: string, compare?: { from: number; to: number }): Promise<void> {
    const query = compare ? `?from=${compare.from}&to=${compare.to}` : "";
    await this.page.goto(`${this.url("agents", agentId, "versions")}${query}`);
  }
  get list(): Locator {
    return this.page.getByRole("list", { name: "Versions" });
  }
  get versions(): Locator {
    return this.list.getByRole("listitem");
  }
  async waitForList(): Promise<void> {
    await this.list.waitFor({ timeout: WAIT_MS });
  }
  /** The diff's removed lines (each marked −), and its added lines (each marked +). */
  removedLines(): Promise<string[]> {
    return this.page.locator('[data-diff="removed"]').allInnerTexts();
  }
  addedLines(): Promise<string[]> {
    return this.page.locator('[data-diff="added"]').allInnerTexts();
  }
  get unchangedLines(): Locator {
    return this.page.getByText(/unchanged lines/);
  }
  async compare(from: number, to: number): Promise<void> {
    await this.page.getByLabel("From version").selectOption(String(from));
    await this.page.getByLabel("To version").selectOption(String(to));
    await this.page.getByRole("button", { name: "Compare" }).click();
    await this.page.waitForURL(new RegExp(`from=${from}&to=${to}`));
    await this.page.getByRole("heading", { name: new RegExp(`Version ${from} → version ${to}`) }).waitFor();
  }
}
