import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { waitForFieldError } from "./field-errors";
import type { TTeam } from "./pages/app-page";
import { MemoryPage } from "./pages/memory-page";
import { MemoryStorePage } from "./pages/memory-store-page";
import { MemoryStoresPage } from "./pages/memory-stores-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { signUp } from "./sign-up";

// The memory browser in Debian's Chromium against the real server: create a store (a bad name
// refused next to the field), add memories (a bad path refused), browse them as a tree, edit one
// and compare its versions as a diff, lose an edit race in a second tab without overwriting the
// winner, redact an old version after confirming, refuse a dream with no model or no past
// session to learn from, archive the store. Screenshots at 1280×800 and
// at a phone size; the memory page is audited by axe-core.

const ADA = { name: "Ada Lovelace", email: "ada-memory@example.com", password: "correct-horse-battery", team: "ada-lovelace" };
const screenshot = screenshotter("memory");

describe("the memory browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let team: TTeam;
  let storeId: string;
  let memoryId: string;

  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    team = await signUp(page, app, ADA);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("creates a store from an empty list, refusing a blank name next to the field", async () => {
    const stores = new MemoryStoresPage(page, team);
    await new TeamOverviewPage(page, team).openFromNav("Memory");
    await stores.noStores.waitFor({ timeout: WAIT_MS });
    expect(await stores.navLink("Memory").getAttribute("aria-current")).toBe("page");
    await screenshot(page, "list-empty");
    await stores.startCreate();
    await stores.name.fill("   ");
    await stores.create();
    expect(await waitForFieldError(stores.name, "must not be empty")).toContain("must not be empty");
    await stores.name.fill("Project notes");
    await stores.description.fill("What the agents learnt about the launch.");
    await stores.create();
    storeId = await stores.waitForCreated();
  });

  it("adds memories at paths, refusing a bad path, and shows them as a tree", async () => {
    const store = new MemoryStorePage(page, team, storeId);
    await store.addMemory("notes.md", "x");
    expect(await waitForFieldError(store.path, "must start with /")).toContain("must start with /");
    await store.addMemory("/projects/launch/notes.md", "# Launch\nship on monday\nannounce\n");
    memoryId = await store.waitForMemory();
    await store.goto();
    await store.addMemory("/readme.md", "Read me first.");
    await store.waitForMemory();
    await store.goto();
    expect(await store.treeEntries()).toEqual(["projects/", "launch/", "notes.md", "readme.md"]);
    await screenshot(page, "store");
  });

  it("saves an edit as a new version and shows the two side by side as a diff", async () => {
    const memory = new MemoryPage(page, team, storeId, memoryId);
    await memory.goto();
    await memory.save("# Launch\nship on tuesday\nannounce\n");
    await memory.savedNotice.waitFor({ timeout: WAIT_MS });
    await memory.goto();
    expect(await memory.versions.count()).toBe(2);
    expect(await memory.diffLines()).toEqual(["-ship on monday", "+ship on tuesday"]);
    await screenshot(page, "memory");
  });

  it("refuses an edit made over a newer write from another tab, and keeps the newer write", async () => {
    const memory = new MemoryPage(page, team, storeId, memoryId);
    await memory.goto();
    const other = new MemoryPage(await context.newPage(), team, storeId, memoryId);
    await other.goto();
    await other.save("# Launch\nship on wednesday\nannounce\n");
    await other.savedNotice.waitFor({ timeout: WAIT_MS });
    await other.page.close();

    await memory.save("# Launch\nlost edit\n");
    await memory.conflictNotice.waitFor({ timeout: WAIT_MS });
    await memory.goto();
    expect(await memory.content.inputValue()).toBe("# Launch\nship on wednesday\nannounce\n");
    expect(await memory.versions.count()).toBe(3);
    await memory.compare(1, 3);
    expect(await memory.diffLines()).toEqual(["-ship on monday", "+ship on wednesday"]);
  });

  it("redacts an old version only after confirming, keeping its row", async () => {
    const memory = new MemoryPage(page, team, storeId, memoryId);
    await memory.goto();
    await memory.redact(1, { confirm: false });
    expect(await memory.redactedBadge(1).count()).toBe(0);
    await memory.redact(1);
    await memory.redactedBadge(1).waitFor({ timeout: WAIT_MS });
    expect(await memory.versions.count()).toBe(3);
    // the current version holds the memory's content: it offers no redaction
    expect(await memory.version(3).getByRole("button", { name: /Redact/ }).count()).toBe(0);
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const memory = new MemoryPage(await phone.newPage(), team, storeId, memoryId);
    await memory.goto();
    await memory.content.waitFor({ timeout: WAIT_MS });
    expect(await memory.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(memory.page, "memory-phone");
    const store = new MemoryStorePage(memory.page, team, storeId);
    await store.goto();
    expect(await store.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(store.page, "store-phone");
    await phone.close();
  });

  it("refuses a dream without a model, or before the team has any session to learn from", async () => {
    const store = new MemoryStorePage(page, team, storeId);
    await store.goto();
    await store.dream("   ");
    expect(await waitForFieldError(store.dreamModel, "give a model id")).toContain("give a model id");
    await store.dream("claude-demo");
    await store.dreamMessage.getByText("this team has none yet").waitFor({ timeout: WAIT_MS });
    expect(await page.getByRole("list", { name: "Dreams" }).count()).toBe(0);
  });

  it("archives the store: its memories stay readable, nothing new is written", async () => {
    const store = new MemoryStorePage(page, team, storeId);
    await store.goto();
    await store.archive("Project notes");
    await store.archivedNotice.waitFor({ timeout: WAIT_MS });
    expect(await store.newMemoryHeading.count()).toBe(0);
    expect(await store.treeEntries()).toEqual(["projects/", "launch/", "notes.md", "readme.md"]);
  });
});
