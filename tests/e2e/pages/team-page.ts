import type { Locator, Page } from "@playwright/test";
import { AppPage, teamUrl, type TTeam } from "./app-page";

/** The team's sections, as the Team navigation names them, and where each lives under /t/<slug>. */
const SECTIONS = {
  Overview: "",
  Agents: "/agents",
  Environments: "/environments",
  Sessions: "/sessions",
  Vaults: "/vaults",
  Memory: "/memory",
  Skills: "/skills",
  Deployments: "/deployments",
  Members: "/settings/members",
  "API keys": "/settings/api-keys",
  Webhooks: "/settings/webhooks",
} as const;
export type TSection = keyof typeof SECTIONS;

/** What every page under /t/<slug> shares (the team layout): the Team navigation and the team switcher. */
export abstract class TeamPage extends AppPage {
  constructor(
    page: Page,
    readonly team: TTeam,
  ) {
    super(page);
  }

  /** The page's own address: the team's, followed by `parts`. */
  protected url(...parts: string[]): string {
    return teamUrl(this.team, ...parts);
  }

  navLink(section: TSection): Locator {
    return this.page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: section });
  }
  /** Follows the section's link in the Team navigation, and waits until its page is the one shown. */
  async openFromNav(section: TSection): Promise<void> {
    await this.navLink(section).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}${SECTIONS[section]}$`));
  }

  async openTeamSwitcher(): Promise<void> {
    await this.page.getByRole("button", { name: /Switch team/ }).click();
  }
  /** The switcher's links, one per team the user belongs to (each with the user's role). */
  get teamLinks(): Locator {
    return this.page.getByRole("navigation", { name: "Your teams" }).getByRole("link");
  }
  /** From the open switcher to the new-team page. */
  async createTeamFromSwitcher(): Promise<void> {
    await this.page.getByRole("link", { name: "Create a team" }).click();
  }
}
