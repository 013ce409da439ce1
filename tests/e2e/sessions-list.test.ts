import type { Browser, Page } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import type { TTeam } from "./pages/app-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { NewSessionPage } from "./pages/new-session-page";
import { SessionPage } from "./pages/session-page";
import { SessionsListPage } from "./pages/sessions-list-page";
import { ShareLinksPanel } from "./pages/share-links-panel";
import { signUp } from "./sign-up";
import { apiClient } from "./api-client";
import { waitUntil } from "./wait-until";

// The sessions list and share-link management in Debian's Chromium at 1280×800 against the real
// server (built-in demo model): each row's title (or first message), agent, who started it and
// cost; search and filters kept in the address (a shared address shows the same list, a bad value
// in it is ignored and named); pages of 25 older and newer with the filters kept; renaming a
// session in place; and a session's share links with who made each, how often each was opened,
// copying one again and revoking one.

const screenshot = screenshotter("sessions-list");
const VIEWPORT = { width: 1280, height: 800 };
const ADA = { name: "Ada Lovelace", email: "ada-list@example.com", password: "analytical-engine" };
const KEY_NAME = "release bot";

describe("the sessions list and share links", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  let team: TTeam;
  let list: SessionsListPage;
  let apiKey: string;
  let writer: string;
  let reviewer: string;
  let environmentId: string;
  /** The session Ada starts from the form with a first message and no title. */
  let adaSession: string;

  const api = apiClient(() => ({ baseUrl: app.url, apiKey }));

  beforeAll(async () => {
    app = await startAppServer(); // no ANTHROPIC_API_KEY: the built-in demo model answers
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    team = await signUp(page, app, ADA);
    list = new SessionsListPage(page, team);
    const keys = new ApiKeysPage(page, team);
    await keys.goto();
    apiKey = await keys.createKey(KEY_NAME);
    writer = ((await api("POST", "/v1/agents", { name: "Writer", model: "claude-sonnet-4-5" })) as { id: string }).id;
    reviewer = ((await api("POST", "/v1/agents", { name: "Reviewer", model: "claude-haiku-4-5" })) as { id: string }).id;
    environmentId = ((await api("POST", "/v1/environments", { name: "list tests" })) as { id: string }).id;
    // 30 sessions of the Writer through the API (the oldest), then two of the Reviewer
    for (let i = 1; i <= 30; i++) await api("POST", "/v1/sessions", { agent: writer, environment_id: environmentId, title: `Chapter ${String(i).padStart(2, "0")}` });
    await api("POST", "/v1/sessions", { agent: reviewer, environment_id: environmentId, title: "Review the deploy script" });
    await api("POST", "/v1/sessions", {
      agent: reviewer,
      environment_id: environmentId,
      initial_events: [{ type: "user.message", content: [{ type: "text", text: "Check the migration for 100% of rows" }] }],
    });
  }, 300_000);

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`server output (last 8,000 characters):\n${app.output().slice(-8_000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows each session's title or first message, agent, who started it and its cost", async () => {
    const form = new NewSessionPage(page, team);
    await form.goto();
    await form.agent.selectOption({ label: "Writer · claude-sonnet-4-5" });
    await page.getByLabel("First message (optional)").fill("Summarise the release notes for the team");
    adaSession = await form.start();

    await list.goto();
    const titles = await list.titles();
    expect(titles.slice(0, 3)).toEqual(["Summarise the release notes for the team", "Check the migration for 100% of rows", "Review the deploy script"]);
    expect(titles).toHaveLength(25);
    expect(await list.details("Summarise the release notes")).toEqual({ agent: "Writer", starter: "by Ada Lovelace", cost: expect.stringMatching(/^\$\d+\.\d+$/) });
    expect(await list.details("Review the deploy script")).toEqual({ agent: "Reviewer", starter: `by API key ${KEY_NAME}`, cost: "$0.00" });
    await screenshot(page, "list");
  });

  it("searches titles and first messages, and keeps the search in an address that can be shared", async () => {
    await list.filter({ search: "100%" });
    expect(await list.titles()).toEqual(["Check the migration for 100% of rows"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("100%");

    await list.filter({ search: "DEPLOY" });
    expect(await list.titles()).toEqual(["Review the deploy script"]);
    // the same address in another tab shows the same list, with the form filled in
    const other = new SessionsListPage(await page.context().newPage(), team);
    await other.page.goto(page.url());
    expect(await other.titles()).toEqual(["Review the deploy script"]);
    expect((await other.filterValues()).search).toBe("DEPLOY");
    await other.page.close();

    await list.filter({ search: "nothing is called this" });
    await list.noMatches.waitFor();
    await list.clearFilters();
    expect(await list.titles()).toHaveLength(25);
  });

  it("filters by agent, person and status, together, from the form or the address", async () => {
    await list.filter({ agent: "Reviewer" });
    expect(await list.titles()).toEqual(["Check the migration for 100% of rows", "Review the deploy script"]);
    await list.filter({ startedBy: `API key · ${KEY_NAME}` });
    expect(await list.titles()).toEqual(["Check the migration for 100% of rows", "Review the deploy script"]);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ agent: reviewer, by: expect.stringMatching(/^apikey_/) });
    await list.filter({ agent: "Any", startedBy: "Ada Lovelace" });
    expect(await list.titles()).toEqual(["Summarise the release notes for the team"]);
    await list.filter({ startedBy: "Any", status: "Terminated" });
    await list.noMatches.waitFor();
    await list.filter({ status: "Idle", agent: "Writer", search: "chapter 0" });
    expect(await list.titles()).toEqual(["Chapter 09", "Chapter 08", "Chapter 07", "Chapter 06", "Chapter 05", "Chapter 04", "Chapter 03", "Chapter 02", "Chapter 01"]);
    expect(await list.filterValues()).toEqual({ search: "chapter 0", status: "Idle", agent: "Writer", startedBy: "Any" });
  });

  it("ignores a bad value in the address, says so, and lists with the rest", async () => {
    await list.goto(`?status=sleeping&agent=${reviewer}&by=nobody`);
    await list.ignoredNote.waitFor();
    const note = (await list.ignoredNote.textContent()) ?? "";
    expect(note).toContain("status=sleeping: must be one of idle, running, rescheduling, terminated");
    expect(note).toContain("by=nobody: must be a member (user_…) or an API key (apikey_…)");
    expect(await list.titles()).toEqual(["Check the migration for 100% of rows", "Review the deploy script"]);
    await screenshot(page, "ignored");
  });

  it("pages 25 at a time, older and newer, keeping the filters", async () => {
    await list.goto();
    const first = await list.titles();
    expect(first).toHaveLength(25);
    expect(await list.newerLink.count()).toBe(0);
    await list.older();
    const second = await list.titles();
    expect(second).toEqual(["Chapter 08", "Chapter 07", "Chapter 06", "Chapter 05", "Chapter 04", "Chapter 03", "Chapter 02", "Chapter 01"]);
    expect(await list.olderLink.count()).toBe(0);
    await list.newer();
    expect(await list.titles()).toEqual(first);
    expect(await list.newerLink.count()).toBe(0);

    // with a filter: 31 sessions of the Writer, so two pages, and the agent stays in both addresses
    await list.goto(`?agent=${writer}`);
    expect(await list.titles()).toHaveLength(25);
    await list.older();
    expect(new URL(page.url()).searchParams.get("agent")).toBe(writer);
    expect(await list.titles()).toEqual(["Chapter 06", "Chapter 05", "Chapter 04", "Chapter 03", "Chapter 02", "Chapter 01"]);
    await screenshot(page, "older-page");
  });

  it("renames a session in place; an empty title goes back to the first message", async () => {
    await list.goto();
    await list.rename("Review the deploy script", "Review deploy.sh before Friday");
    await list.row("Review deploy.sh before Friday").waitFor({ timeout: WAIT_MS });
    await list.page.reload();
    expect((await list.titles()).slice(0, 3)).toContain("Review deploy.sh before Friday");
    const renamed = (await api("GET", "/v1/sessions?limit=50")) as { data: { title: string | null }[] };
    expect(renamed.data.map((s) => s.title)).toContain("Review deploy.sh before Friday");

    // Escape leaves it as it was
    await list.rename("Summarise the release notes for the team", "not this", { submit: false });
    await list.titleField.press("Escape");
    expect(await list.titleField.count()).toBe(0);
    await list.rename("Summarise the release notes for the team", "Release notes");
    await list.row("Release notes").getByTestId("session-title").getByText("Release notes", { exact: true }).waitFor({ timeout: WAIT_MS });
    await list.rename("Release notes", "   ");
    await waitUntil("the first message shows again", async () => (await list.titles())[0] === "Summarise the release notes for the team");
    await screenshot(page, "renamed");
  });

  it("shows why a rename is refused, and keeps what was typed", async () => {
    await list.goto();
    // a tab cannot be typed into the field, but can reach the action: the server refuses it
    await list.rename("Chapter 30", "Chapter\tthirty");
    await list.renameError.waitFor({ timeout: WAIT_MS });
    expect(await list.renameError.textContent()).toBe("Use one line, without control characters.");
    expect(await list.titleField.inputValue()).toBe("Chapter\tthirty");
    const chapter = ((await api("GET", "/v1/sessions?limit=50")) as { data: { title: string | null }[] }).data.map((s) => s.title);
    expect(chapter).toContain("Chapter 30");
    expect(chapter).not.toContain("Chapter\tthirty");
  });

  it("lists a session's share links with who made each and its views; copies one again; revokes one", async () => {
    const session = new SessionPage(page, team);
    await session.goto(adaSession);
    const panel = new ShareLinksPanel(page);
    await panel.open();
    const made = await panel.create();
    expect(made).toMatch(/\/replay\/shr_/);
    const byKey = (await api("POST", `/v1/sessions/${adaSession}/share_links`)) as { path: string };
    // opened twice by whoever has it; the key's link never
    expect((await fetch(made)).status).toBe(200);
    expect((await fetch(made)).status).toBe(200);

    await session.goto(adaSession);
    await panel.open();
    expect(await panel.summary()).toEqual([
      { creator: `API key · ${KEY_NAME}`, views: "Not opened yet", revoked: false },
      { creator: "Ada Lovelace", views: expect.stringMatching(/^Opened 2 times, last \d{4}-\d\d-\d\d \d\d:\d\d UTC$/), revoked: false },
    ]);
    // the address again, the same as when it was made (the token is derived, never stored)
    expect(await panel.copyAgain(1)).toBe(made);
    expect(await panel.copyAgain(0)).toBe(new URL(byKey.path, app.url).toString());
    await screenshot(page, "share-links");

    await panel.revoke(1);
    expect((await fetch(made)).status).toBe(404);
    expect((await panel.summary()).map((link) => link.revoked)).toEqual([false, true]);
    expect(await panel.links.nth(1).getByRole("button", { name: "Copy link" }).count()).toBe(0);
    // and still revoked after a reload
    await session.goto(adaSession);
    await panel.open();
    expect((await panel.summary()).map((link) => link.revoked)).toEqual([false, true]);
  });

  it("fits a phone: the list, its filters and a rename, without scrolling sideways", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // the same person, signed in: the session cookie of the desktop context
    await phone.addCookies(await page.context().cookies());
    const small = new SessionsListPage(await phone.newPage(), team);
    await small.goto(`?agent=${reviewer}`);
    expect(await small.titles()).toEqual(["Check the migration for 100% of rows", "Review deploy.sh before Friday"]);
    expect(await small.overflowWidth()).toBeLessThanOrEqual(0);
    await small.rename("Review deploy.sh before Friday", "Review deploy.sh");
    await small.row("Review deploy.sh").getByTestId("session-title").getByText("Review deploy.sh", { exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await small.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(small.page, "phone");
    await phone.close();
  });
});
