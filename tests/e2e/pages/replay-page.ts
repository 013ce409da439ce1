import type { Locator, Page } from "@playwright/test";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { ThreadLanes } from "./thread-lanes";

/** /replay/<token>: the read-only player of a shared session. */
export class ReplayPage {
  constructor(readonly page: Page) {}

  async goto(path: string, baseUrl: string): Promise<void> {
    await this.page.goto(new URL(path, baseUrl).href);
    await this.page.getByRole("heading", { level: 1 }).waitFor({ timeout: WAIT_MS });
  }
  /** A multi-agent session's lanes, as of the player's position. */
  get lanes(): ThreadLanes {
    return new ThreadLanes(this.page);
  }
  /** How many items the player's list holds in all (its rendered window aside). */
  async itemCount(): Promise<number> {
    return Number((await this.page.locator("[aria-setsize]").first().getAttribute("aria-setsize")) ?? 0);
  }
  /** "Fork from here" at the player's position (only for members of the session's team). */
  get forkButton(): Locator {
    return this.page.getByRole("button", { name: /^Fork from here/ });
  }
  /** Puts the player on the event `seq` (a deep link), and waits for the footer to say so. */
  async seek(seq: number): Promise<void> {
    await this.page.evaluate((target) => (window.location.hash = `#e-${target}`), seq);
    await this.page.getByText(`Event #${seq} ·`).waitFor({ timeout: WAIT_MS });
  }
  /** Forks at the player's position and waits for the new session's page; returns its id. */
  async fork(): Promise<string> {
    await this.forkButton.click();
    await this.page.waitForURL(/\/sessions\/sesn_/, { timeout: WAIT_MS });
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }

  // ── the controls ──
  get playButton(): Locator {
    return this.page.getByRole("button", { name: /^(Play|Pause)$/ });
  }
  get scrubber(): Locator {
    return this.page.getByRole("slider", { name: "Position in the session" });
  }
  get speed(): Locator {
    return this.page.getByRole("combobox", { name: /^Speed/ });
  }
  /** The scrubber's ticks, of one kind or all. */
  ticks(kind?: "user" | "tool" | "error"): Locator {
    return this.page.locator(kind ? `[data-testid="replay-tick"][data-kind="${kind}"]` : '[data-testid="replay-tick"]');
  }
  /** "At the start" or "Event #<seq>", as the footer says. */
  async position(): Promise<string> {
    const text = (await this.page.getByTestId("replay-position").textContent()) ?? "";
    return text.split(" ·")[0]!.trim();
  }
  /** Waits for the footer to say `expected` ("At the start", "Event #7"). */
  async waitForPosition(expected: string): Promise<void> {
    await this.page.getByTestId("replay-position").filter({ hasText: new RegExp(`^${expected} ·`) }).waitFor({ timeout: WAIT_MS });
  }
  /** "m:ss / m:ss": the position's time and the session's length. */
  async clock(): Promise<string> {
    return (await this.page.getByTestId("replay-clock").textContent())?.trim() ?? "";
  }
  /** What the player last announced to assistive technology (its polite live region). */
  get announcer(): Locator {
    return this.page.getByTestId("replay-announcer");
  }
  hash(): Promise<string> {
    return this.page.evaluate(() => window.location.hash);
  }
  /** Presses a key with the focus on the page itself (not on a control). */
  async press(key: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
  }
  /** Clicks the scrubber's track at `fraction` (0…1) of the way, where its thumb's centre would be. */
  async scrubTo(fraction: number): Promise<void> {
    const box = (await this.scrubber.boundingBox())!;
    await this.scrubber.click({ position: { x: 8 + fraction * (box.width - 16), y: box.height / 2 } });
  }
}
