import type { Locator, Page } from "@playwright/test";

/** Where a team's pages are: the server's origin (as the browser reaches it) and the team's slug. */
export type TTeam = { origin: string; slug: string };

/** `<origin>/t/<slug>` followed by `parts`, e.g. `teamUrl(team, "agents", "new")`. */
export function teamUrl(team: TTeam, ...parts: string[]): string {
  return [`${team.origin}/t/${team.slug}`, ...parts].join("/");
}

/** How much wider than the window the page is, in CSS pixels: ≤ 0 when it fits. */
export function overflowWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** What every page of the app offers a test: where the focus is, and whether the page fits. */
export abstract class AppPage {
  constructor(readonly page: Page) {}

  /** The id of the focused element: where a refused form puts the cursor. */
  focusedId(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.id ?? null);
  }
  /** The text of the focused element (a button, say). */
  focusedText(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.textContent ?? null);
  }
  /** The accessible name given by `aria-label` to the focused element. */
  focusedLabel(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? null);
  }
  overflowWidth(): Promise<number> {
    return overflowWidth(this.page);
  }
  /** The page's first section heading: there once the page has rendered. */
  get firstSectionHeading(): Locator {
    return this.page.getByRole("heading", { level: 2 }).first();
  }
}
