import type { Locator, Page } from "@playwright/test";

/**
 * The lanes of a multi-agent session, on the session page and in the replay player alike: the
 * coordinator and one per thread, each with its status and cost; choosing one filters to it.
 */
export class ThreadLanes {
  constructor(readonly page: Page) {}

  get nav(): Locator {
    return this.page.getByRole("navigation", { name: "Threads" });
  }
  get lanes(): Locator {
    return this.nav.getByTestId("thread-lane");
  }
  /** The lane of the coordinator or of a thread, by its agent's name. */
  lane(name: string): Locator {
    return this.lanes.filter({ has: this.page.getByTestId("lane-name").getByText(name, { exact: true }) });
  }
  /** The lanes as shown: each agent's name, status (`running`, `idle`…) and cost. */
  async shown(): Promise<Array<{ name: string; status: string; cost: string }>> {
    return this.lanes.evaluateAll((lanes) =>
      lanes.map((lane) => ({
        name: lane.querySelector("[data-testid=lane-name]")?.textContent ?? "",
        status: lane.getAttribute("data-status") ?? "",
        cost: lane.querySelector("[data-testid=lane-cost]")?.textContent ?? "",
      })),
    );
  }
  /** Filters to one lane (choosing the chosen one again shows all). */
  async choose(name: string): Promise<void> {
    await this.lane(name).click();
  }
  async showAll(): Promise<void> {
    await this.nav.getByRole("button", { name: "All", exact: true }).click();
  }
}
