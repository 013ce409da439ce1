import type { Locator } from "@playwright/test";
import { AppPage } from "./app-page";

/** /teams/new: a team's name, and the URL the page proposes for it. */
export class NewTeamPage extends AppPage {
  get name(): Locator {
    return this.page.getByLabel("Team name");
  }
  get slug(): Locator {
    return this.page.getByLabel("Team URL");
  }
  async create(): Promise<void> {
    await this.page.getByRole("button", { name: "Create team" }).click();
  }
}
