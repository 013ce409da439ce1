import { TeamPage } from "./team-page";

/** /t/<slug>: where a member lands, with the team's recent agents and sessions. */
export class TeamOverviewPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url());
  }
}
