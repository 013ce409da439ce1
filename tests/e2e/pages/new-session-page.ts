import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/sessions/new: an agent, an optional title, and a start. */
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
  /** The agents offered, as the select lists them. */
  agentOptions(): Promise<string[]> {
    return this.agent.locator("option").allTextContents();
  }
  /** Starts the session and returns its id, once its page is open. */
  async start(): Promise<string> {
    await this.page.getByRole("button", { name: "Start session" }).click();
    await this.page.waitForURL(/\/sessions\/sesn_/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
