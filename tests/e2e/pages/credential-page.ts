import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

export type TCredentialType = "Environment variable" | "Bearer token" | "MCP OAuth";

/**
 * The credential form: /t/<slug>/vaults/<vault>/credentials/new, and
 * /t/<slug>/vaults/<vault>/credentials/<id> where it changes the settings or rotates the secret.
 */
export class CredentialPage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly vaultId: string,
  ) {
    super(page, team);
  }

  /** The address of the new-credential form. */
  get newUrl(): string {
    return this.url("vaults", this.vaultId, "credentials", "new");
  }
  async gotoNew(): Promise<void> {
    await this.page.goto(this.newUrl);
  }
  async goto(credentialId: string): Promise<void> {
    await this.page.goto(this.url("vaults", this.vaultId, "credentials", credentialId));
  }

  type(type: TCredentialType): Locator {
    return this.page.getByRole("radio", { name: new RegExp(type) });
  }
  field(
    name:
      | "display-name"
      | "secret-name"
      | "secret-value"
      | "allowed-hosts"
      | "mcp-server-url"
      | "token"
      | "access-token"
      | "client-id"
      | "refresh-token"
      | "token-endpoint"
      | "token-endpoint-auth"
      | "client-secret",
  ): Locator {
    return this.page.locator(`#credential-${name}`);
  }
  /** Where the secret may be substituted: "Body" (headers always). */
  injectInto(place: "Body"): Locator {
    return this.page.getByRole("checkbox", { name: place });
  }
  get canRefresh(): Locator {
    return this.page.getByLabel("The token can be refreshed");
  }
  heading(name: string): Locator {
    return this.page.getByRole("heading", { name });
  }
  /** The credential's stored settings, as the page lists them. */
  details(): Promise<string> {
    return this.page.locator("dl").innerText();
  }

  async fillMcpOAuth(fields: {
    displayName: string;
    serverUrl: string;
    accessToken: string;
    clientId: string;
    refreshToken: string;
    tokenEndpoint: string;
    tokenEndpointAuth: string;
    clientSecret: string;
  }): Promise<void> {
    await this.type("MCP OAuth").check();
    await this.field("display-name").fill(fields.displayName);
    await this.field("mcp-server-url").fill(fields.serverUrl);
    await this.field("access-token").fill(fields.accessToken);
    await this.canRefresh.check();
    await this.field("client-id").fill(fields.clientId);
    await this.field("refresh-token").fill(fields.refreshToken);
    await this.field("token-endpoint").fill(fields.tokenEndpoint);
    await this.field("token-endpoint-auth").selectOption(fields.tokenEndpointAuth);
    await this.field("client-secret").fill(fields.clientSecret);
  }
  async add(): Promise<void> {
    await this.page.getByRole("button", { name: "Add credential" }).click();
  }
  async save(): Promise<void> {
    await this.page.getByRole("button", { name: "Save changes" }).click();
  }
  /** Waits for what the form says after a save. */
  async waitForMessage(text: string, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByText(text, options).waitFor({ timeout: WAIT_MS });
  }
  /** "Check now" on an MCP OAuth credential's page. */
  async checkNow(): Promise<void> {
    await this.page.getByRole("button", { name: "Check now" }).click();
  }
  /** What the check said. */
  get validation(): Locator {
    return this.page.getByRole("form", { name: "Check the credential" }).getByRole("status");
  }
  /** Archives the credential named `name`, answering the question it asks first. */
  async archive(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Archive ${name}` }).click();
    await this.page.getByText("Archive this credential?").waitFor();
    await this.page.getByRole("button", { name: "Archive", exact: true }).click();
    await this.page.getByText("This credential is archived").waitFor({ timeout: WAIT_MS });
  }
}
