import { TeamPage } from "./team-page";

/** /t/<slug>/settings/api-keys: the team's API keys; a new key is shown once. */
export class ApiKeysPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("settings", "api-keys"));
  }
  /** Creates a key named `name` and returns the key, read from the field that shows it once. */
  async createKey(name: string): Promise<string> {
    await this.page.getByLabel("Key name").fill(name);
    await this.page.getByRole("button", { name: "Create key" }).click();
    return this.page.getByRole("textbox", { name: "API key", exact: true }).inputValue();
  }
}
