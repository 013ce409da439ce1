import type { Locator, Page } from "@playwright/test";
import { AppPage } from "./app-page";

export type TPerson = { name: string; email: string; password: string };

/** /sign-up: a name, an email and a password make an account (and its own team). */
export class SignUpPage extends AppPage {
  constructor(
    page: Page,
    readonly origin: string,
  ) {
    super(page);
  }

  get name(): Locator {
    return this.page.getByLabel("Name");
  }
  get email(): Locator {
    return this.page.getByLabel("Email");
  }
  get password(): Locator {
    return this.page.getByLabel("Password");
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.origin}/sign-up`);
  }
  async createAccount(person: TPerson): Promise<void> {
    await this.name.fill(person.name);
    await this.email.fill(person.email);
    await this.password.fill(person.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }
}
