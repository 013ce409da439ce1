import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

/** /t/<slug>/vaults/<id>: the vault's credentials (never their values), archived ones when asked. */
export class VaultPage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly vaultId: string,
  ) {
    super(page, team);
  }

  async goto(): Promise<void> {
    await this.page.goto(this.url("vaults", this.vaultId));
  }
  get noCredentials(): Locator {
    return this.page.getByText("No credentials");
  }
  row(name: RegExp): Locator {
    return this.page.getByRole("row", { name });
  }
  /** The id of the credential named `name`, from its link. */
  async credentialId(name: string): Promise<string> {
    const href = await this.row(new RegExp(name)).getByRole("link", { name }).getAttribute("href");
    return href!.split("/").at(-1)!;
  }
  async addCredential(): Promise<void> {
    await this.page.getByRole("link", { name: "Add credential" }).click();
    await this.page.waitForURL(/\/credentials\/new$/, { timeout: WAIT_MS });
  }
  /** After a credential was added: waits for this vault's page, which says so. */
  async waitForAdded(): Promise<void> {
    await this.page.waitForURL(new RegExp(`/vaults/${this.vaultId}\\?added=1$`), { timeout: WAIT_MS });
  }
  async includeArchived(): Promise<void> {
    await this.page.getByRole("link", { name: "Including archived" }).click();
  }
  /** Asks to delete the vault named `name`: the page asks first (`confirmDelete` or `cancel`). */
  async askToDelete(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Delete ${name}` }).click();
  }
  async cancel(): Promise<void> {
    await this.page.getByRole("button", { name: "Cancel" }).click();
  }
  /** Confirms the delete, and waits for the vaults list it leads to. */
  async confirmDelete(): Promise<void> {
    await this.page.getByRole("button", { name: "Delete", exact: true }).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/vaults$`), { timeout: WAIT_MS });
  }
}
