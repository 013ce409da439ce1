import type { Locator } from "@playwright/test";
import { TeamPage } from "./team-page";

/** /t/<slug>/sessions: the team's sessions, each with its status kept live. */
export class SessionsListPage extends TeamPage {
  async goto(): Promise<void> {
    await this.page.goto(this.url("sessions"));
  }
  get noSessions(): Locator {
    return this.page.getByText("No sessions yet");
  }
  async startSession(): Promise<void> {
    await this.page.getByRole("link", { name: "Start a session" }).click();
  }
  row(title: string): Locator {
    return this.page.getByRole("listitem").filter({ hasText: title });
  }
  rowStatus(title: string): Promise<string | null> {
    return this.row(title).locator("[data-status]").getAttribute("data-status");
  }
  link(title: RegExp): Locator {
    return this.page.getByRole("link", { name: title });
  }
  /** The note the list shows after a session was deleted. */
  get deletedNote(): Locator {
    return this.page.getByRole("status").filter({ hasText: "Session deleted" });
  }
}
