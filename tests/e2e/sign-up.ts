import type { Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./pages/app-page";
import { SignUpPage, type TPerson } from "./pages/sign-up-page";

/**
 * Signs `person` up through the sign-up form and waits for the team overview the app lands on
 * (the new user's own team: `/t/<team>` when `team` is given, any team otherwise). Returns that team.
 */
export async function signUp(page: Page, app: { url: string }, person: TPerson & { team?: string }): Promise<TTeam> {
  const form = new SignUpPage(page, app.url);
  await form.goto();
  await form.createAccount(person);
  await page.waitForURL(new RegExp(`/t/${person.team ?? "[a-z0-9-]+"}$`), { timeout: WAIT_MS });
  return { origin: app.url, slug: new URL(page.url()).pathname.split("/")[2]! };
}
