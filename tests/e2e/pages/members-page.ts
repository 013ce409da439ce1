import { TeamPage } from "./team-page";

/** /t/<slug>/settings/members: the team's members and invitations. */
export class MembersPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("settings", "members"));
  }
  /** Creates an invitation link and returns it. */
  async createInvitationLink(): Promise<string> {
    await this.page.getByRole("button", { name: "Create invitation link" }).click();
    return this.page.getByRole("textbox", { name: /^Invitation link/ }).inputValue();
  }
}
