import type { Locator } from "@playwright/test";
import { AppPage } from "./app-page";

/** The app's 404 page: what a visitor gets for anything they may not see. */
export class NotFoundPage extends AppPage {
  /** Opens `url` and returns the status the browser received. */
  async visit(url: string): Promise<number | undefined> {
    return (await this.page.goto(url))?.status();
  }
  get message(): Locator {
    return this.page.getByText("This page does not exist");
  }
}
