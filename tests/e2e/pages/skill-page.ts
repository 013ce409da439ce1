import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./app-page";
import { TeamPage } from "./team-page";

/** /t/<slug>/skills/<id>: a skill's latest SKILL.md, its versions, a new version's form, Delete. */
export class SkillPage extends TeamPage {
  constructor(
    page: Page,
    team: TTeam,
    readonly skillId: string,
  ) {
    super(page, team);
  }
  async goto(): Promise<void> {
    await this.page.goto(this.url("skills", this.skillId));
  }
  get skillMd(): Locator {
    return this.page.getByLabel("SKILL.md of the latest version");
  }
  /** The latest version's file paths, comma-separated. */
  get files(): Locator {
    return this.page.getByTestId("skill-files");
  }
  get versions(): Locator {
    return this.page.getByRole("list", { name: "Versions" }).getByRole("listitem");
  }
  get versionFolder(): Locator {
    return this.page.locator("#version-folder");
  }
  async uploadVersion(directory: string): Promise<void> {
    await this.versionFolder.setInputFiles(directory);
    await this.page.getByRole("button", { name: "Upload version" }).click();
  }
  get versionUploaded(): Locator {
    return this.page.getByText("New version uploaded; it is now the latest.");
  }
  /** Deletes a version after confirming. */
  async deleteVersion(versionId: string): Promise<void> {
    await this.page.getByRole("button", { name: `Delete version ${versionId}` }).click();
    await this.page.getByRole("button", { name: "Delete", exact: true }).click();
  }
  /** Deletes the skill after confirming, and waits for the list. */
  async deleteSkill(displayName: string): Promise<void> {
    await this.page.getByRole("button", { name: `Delete ${displayName}`, exact: true }).click();
    await this.page.getByRole("button", { name: "Delete", exact: true }).click();
    await this.page.waitForURL(new RegExp(`/t/${this.team.slug}/skills$`), { timeout: WAIT_MS });
  }
}
