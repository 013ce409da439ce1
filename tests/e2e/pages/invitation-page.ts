import { AppPage } from "./app-page";

/** /invite/<token>: a signed-in user accepts an invitation to a team. */
export class InvitationPage extends AppPage {
  async goto(invitationUrl: string): Promise<void> {
    await this.page.goto(invitationUrl);
  }
  async join(): Promise<void> {
    await this.page.getByRole("button", { name: /^Join / }).click();
  }
}
