import type { Locator } from "@playwright/test";
import { TeamPage } from "./team-page";

/** /t/<slug>/vaults: the team's vaults, each with how many credentials it holds. */
export class VaultsListPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("vaults"));
  }
  get noVaults(): Locator {
    return this.page.getByText("No vaults yet");
  }
  /** Follows the call to action to the new-vault form. */
  async createVault(): Promise<void> {
    await this.page.getByRole("link", { name: "Create a vault" }).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/vaults/new$`));
  }
  row(name: RegExp): Locator {
    return this.page.getByRole("row", { name });
  }
  /** The credential count the list shows for the vault named `name` (its second column). */
  async credentialCount(name: RegExp): Promise<string> {
    return (await this.row(name).getByRole("cell").nth(1).innerText()).trim();
  }
}
