import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/deployments/new: a new deployment's form. */
export class NewDeploymentPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("deployments", "new"));
  }
  get name(): Locator {
    return this.page.locator("#deployment-name");
  }
  get message(): Locator {
    return this.page.locator("#deployment-message");
  }
  get schedule(): Locator {
    return this.page.locator("#deployment-schedule");
  }
  get timezone(): Locator {
    return this.page.locator("#deployment-timezone");
  }
  async create(fields: { name: string; message: string; schedule: string; timezone: string }): Promise<void> {
    await this.name.fill(fields.name);
    await this.message.fill(fields.message);
    await this.schedule.fill(fields.schedule);
    await this.timezone.fill(fields.timezone);
    await this.page.getByRole("button", { name: "Create deployment" }).click();
  }
  /** After an accepted create: waits for the deployment's page and returns its id. */
  async waitForCreated(): Promise<string> {
    await this.page.waitForURL(/\/deployments\/depl_[0-9A-Za-z]+$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
}
