import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/settings/webhooks: the team's webhook endpoints; a new one's signing secret is shown once. */
export class WebhooksPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("settings", "webhooks"));
  }
  get urlField(): Locator {
    return this.page.getByLabel("Endpoint URL");
  }
  get noEndpoints(): Locator {
    return this.page.getByText("No endpoints yet");
  }
  endpoint(url: string): Locator {
    return this.page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem").filter({ hasText: url });
  }
  /** The row of the endpoint's deliveries table for the event about `sessionId`. */
  delivery(url: string, sessionId: string): Locator {
    return this.page.getByRole("table", { name: `Deliveries to ${url}` }).getByRole("row").filter({ hasText: sessionId });
  }
  /** Resends the delivery about `sessionId`, and waits until the page says it is queued. */
  async resend(url: string, sessionId: string): Promise<void> {
    const row = this.delivery(url, sessionId);
    await row.getByRole("button", { name: /^Resend / }).click();
    await row.getByRole("status").getByText("Queued").waitFor({ timeout: WAIT_MS });
  }
  async add(): Promise<void> {
    await this.page.getByRole("button", { name: "Add endpoint" }).click();
  }
  /** The signing secret the page shows once after an endpoint is added. */
  async shownSecret(): Promise<string> {
    const field = this.page.getByRole("textbox", { name: "Signing secret", exact: true });
    await field.waitFor({ timeout: WAIT_MS });
    return field.inputValue();
  }
  /** Deletes the endpoint of `url`, confirming when the page asks. */
  async delete(url: string): Promise<void> {
    await this.page.getByRole("button", { name: `Delete endpoint ${url}` }).click();
    await this.page.getByRole("button", { name: "Delete", exact: true }).click();
  }
}
