import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/sessions/new: an agent, the vaults it may use, an optional title, and a start. */
export class NewSessionPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("sessions", "new"));
  }
  get agent(): Locator {
    return this.page.getByLabel("Agent");
  }
  get title(): Locator {
    return this.page.getByLabel("Title (optional)");
  }
  get message(): Locator {
    return this.page.getByLabel("First message (optional)");
  }
  /** The agents offered, as the select lists them. */
  agentOptions(): Promise<string[]> {
    return this.agent.locator("option").allTextContents();
  }
  /** The vault picker's checkbox for the vault named `name`. */
  vault(name: string): Locator {
    return this.page.locator("#session-vaults").getByRole("checkbox", { name: new RegExp(`^${name} ·`) });
  }
  /** The vaults offered, as "name · N credentials". */
  async vaultOptions(): Promise<string[]> {
    return (await this.page.locator("#session-vaults label").allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
  }
  /** The picker as a field: its first checkbox carries the group's error. */
  get vaults(): Locator {
    return this.page.locator("#session-vaults").getByRole("checkbox").first();
  }
  /** Submits the form, for an answer that stays on the page (a refusal). */
  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: "Start session" }).click();
  }
  /** Starts the session and returns its id, once its page is open. */
  async start(): Promise<string> {
    await this.submit();
    await this.page.waitForURL(/\/sessions\/sesn_/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
