import type { Locator } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { TeamPage } from "./team-page";

/** /t/<slug>/skills: the team's skills, and the form that uploads a skill's folder. */
export class SkillsPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("skills"));
  }
  get noSkills(): Locator {
    return this.page.getByText("No skills yet");
  }
  /** The folder picker (`webkitdirectory`). */
  get folder(): Locator {
    return this.page.locator("#skill-folder");
  }
  get displayName(): Locator {
    return this.page.locator("#skill-display-name");
  }
  /** Picks the folder at `directory` on this machine and submits the form. */
  async upload(directory: string, displayName = ""): Promise<void> {
    await this.folder.setInputFiles(directory);
    await this.displayName.fill(displayName);
    await this.page.getByRole("button", { name: "Upload skill" }).click();
  }
  /** After an accepted upload: waits for the new skill's page and returns its id. */
  async waitForUploaded(): Promise<string> {
    await this.page.waitForURL(/\/skills\/skill_[0-9A-Za-z]+\?created=1$/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
  /** The skills table's rows (each a skill's display name, name, description, latest version, updated). */
  get rows(): Locator {
    return this.page.getByRole("table", { name: "Skills" }).locator("tbody tr");
  }
}
