import type { Locator } from "@playwright/test";
import type { TSandboxStatus } from "@/lib/timeline/fold-timeline";
import { WAIT_MS } from "@/tests/fixtures/browser";
import { waitUntil } from "../wait-until";
import { SessionWaterfall } from "./session-waterfall";
import { ThreadLanes } from "./thread-lanes";
import { TeamPage } from "./team-page";

/** /t/<slug>/sessions/<id>: the session's timeline, live, with its composer and its controls. */
export class SessionPage extends TeamPage {
  async goto(sessionId: string): Promise<void> {
    await this.page.goto(this.url("sessions", sessionId));
    await this.live();
  }

  get composer(): Locator {
    return this.page.getByRole("textbox", { name: "Message", exact: true });
  }
  get sendButton(): Locator {
    return this.page.getByRole("button", { name: "Send", exact: true });
  }
  get title(): Locator {
    return this.page.getByTestId("session-title");
  }
  get nothingYet(): Locator {
    return this.page.getByText("Nothing has happened yet");
  }
  /** The answer as it streams in, before it is stored. */
  get streaming(): Locator {
    return this.page.getByTestId("streaming-message");
  }
  /** Who is watching. */
  get presence(): Locator {
    return this.page.getByTestId("presence");
  }
  /** The timeline's items of one kind (`user_message`, `agent_message`, `tool_call`, `interrupt`, `sandbox`…). */
  items(kind: string): Locator {
    return this.page.locator(`[data-kind="${kind}"]`);
  }
  agentMessage(text: string): Locator {
    return this.items("agent_message").filter({ hasText: text });
  }
  toolCall(text: string): Locator {
    return this.items("tool_call").filter({ hasText: text });
  }
  /** The card of the outcome whose description has `text`. */
  outcome(text: string): Locator {
    return this.items("outcome").filter({ hasText: text });
  }
  /** An outcome card's status ("satisfied", "evaluating", …) as it shows it. */
  async outcomeStatus(card: Locator): Promise<string | null> {
    return card.getByTestId("outcome-status").getAttribute("data-status");
  }
  /** Each evaluation of an outcome card: its verdict and the grader's feedback, in order. */
  async outcomeVerdicts(card: Locator): Promise<Array<{ result: string | null; text: string }>> {
    const rows = card.getByTestId("outcome-evaluation");
    const verdicts: Array<{ result: string | null; text: string }> = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      verdicts.push({ result: await row.getByTestId("outcome-verdict").getAttribute("data-status"), text: (await row.textContent()) ?? "" });
    }
    return verdicts;
  }
  /** Who sent a message or an interrupt, as the item names them ("Ada Lovelace", "API key ci"). */
  sentBy(item: Locator): Locator {
    return item.getByTestId("sent-by");
  }
  /** Who approved, denied or answered a tool call: "approved by …", "denied by …", "result by …". */
  answeredBy(call: Locator): Locator {
    return call.getByTestId("answered-by");
  }
  /** Scrolls the conversation to its end, where it follows new events again. */
  async scrollToEnd(): Promise<void> {
    await this.timeline.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  }
  /** A bash call's stderr, shown apart from its stdout. */
  stderrOf(call: Locator): Locator {
    return call.getByTestId("stderr");
  }
  /** The connection indicator in a state: `live`, `reconnecting` or `deleted`. */
  connection(state: "live" | "reconnecting" | "deleted"): Locator {
    return this.page.locator(`[data-connection="${state}"]`);
  }
  get queuedNote(): Locator {
    return this.page.getByTestId("queued-note");
  }
  /** The sandbox chip in the header. */
  /** The header's list of a session's hands (only for a session of several environments). */
  get hands(): Locator {
    return this.page.getByRole("list", { name: "Hands" });
  }
  /** One environment's entry in that list; its `data-hand-state` is the state it shows. */
  hand(environmentId: string): Locator {
    return this.hands.locator(`[data-environment-id="${environmentId}"]`);
  }
  get sandboxStatus(): Locator {
    return this.page.getByTestId("sandbox-status");
  }
  sandboxStatusIs(status: TSandboxStatus): Locator {
    return this.page.locator(`[data-testid="sandbox-status"][data-sandbox-status="${status}"]`);
  }
  /** A tab of the page: the conversation (the default) or the timeline's waterfall. */
  /** The Files tab's workspace panel: a file's button, its download link, the opened file. */
  workspaceFile(path: string): Locator {
    return this.page.getByRole("button", { name: `Open ${path}`, exact: true });
  }
  workspaceDownload(path: string): Locator {
    return this.page.getByRole("link", { name: `Download ${path}`, exact: true });
  }
  get workspaceZip(): Locator {
    return this.page.getByRole("link", { name: "Download all (zip)" });
  }
  openedFile(path: string): Locator {
    return this.page.getByLabel(`Content of ${path}`, { exact: true });
  }
  tab(name: "Conversation" | "Timeline" | "Files"): Locator {
    return this.page.getByRole("tablist", { name: "Session views" }).getByRole("tab", { name, exact: true });
  }
  /** A multi-agent session's lanes: the coordinator and its threads. */
  get lanes(): ThreadLanes {
    return new ThreadLanes(this.page);
  }
  get waterfall(): SessionWaterfall {
    return new SessionWaterfall(this.page);
  }
  /** The conversation's list (the banner above it has buttons of the same names). */
  get timeline(): Locator {
    return this.page.getByRole("region", { name: "Session timeline" });
  }
  /** Approve under the waiting call, in the timeline. */
  get approveButton(): Locator {
    return this.timeline.getByRole("button", { name: "Approve" });
  }
  /** The bar above the conversation while the session waits for a person. */
  get needsPersonBanner(): Locator {
    return this.page.getByRole("region", { name: "Needs you", exact: true });
  }
  get bannerApproveButton(): Locator {
    return this.needsPersonBanner.getByRole("button", { name: "Approve", exact: true });
  }
  /** The banner's line of the waiting call's input. */
  get bannerInput(): Locator {
    return this.needsPersonBanner.getByTestId("needs-person-input");
  }
  /** The "Notify me" switch in the header. */
  get notifyToggle(): Locator {
    return this.page.getByRole("switch", { name: "Notify me" });
  }
  /** The href of the page's first `link[rel=icon]` (a data URL while the icon is badged). */
  async faviconHref(): Promise<string | null> {
    return this.page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.href ?? null);
  }
  /** Whether every `link[rel=icon]` is a badged PNG data URL. */
  async faviconBadged(): Promise<boolean> {
    return this.page.evaluate(() => {
      const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
      return links.length > 0 && links.every((link) => link.href.startsWith("data:image/png;base64,"));
    });
  }
  get interruptButton(): Locator {
    return this.page.getByRole("button", { name: "Interrupt" });
  }
  /** The form under a custom tool's call, for its result. */
  toolResultForm(tool: string): Locator {
    return this.timeline.getByRole("form", { name: `Result of ${tool}` });
  }
  toolResult(tool: string): Locator {
    return this.toolResultForm(tool).getByRole("textbox", { name: "Result" });
  }
  /** The alert that refuses an empty message. */
  get emptyMessageAlert(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "Write a message first." });
  }
  get archivedNote(): Locator {
    return this.page.getByText("This session is archived: its log stays readable");
  }
  /** What a viewer sees when the session they watch is deleted. */
  get deletedNotice(): Locator {
    return this.page.getByTestId("session-deleted");
  }

  /** Waits for the live connection. */
  async live(): Promise<void> {
    await this.connection("live").waitFor({ timeout: WAIT_MS });
  }
  /** Waits for an agent message containing `text`. */
  async expectAgentMessage(text: string, timeout = WAIT_MS): Promise<void> {
    await this.agentMessage(text).waitFor({ timeout });
  }
  /** Sends `text` with the Send button, and waits for the composer to empty. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.sendButton.click();
    await this.waitForEmptyComposer();
  }
  /** Sends `text` from the keyboard (Ctrl+Enter). */
  async sendWithKeyboard(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press("Control+Enter");
  }
  async waitForEmptyComposer(): Promise<void> {
    await waitUntil("the composer to empty", async () => (await this.composer.inputValue()) === "");
  }
  async status(): Promise<string | null> {
    return this.page.locator("[data-testid=session-status] [data-status]").getAttribute("data-status");
  }
  async waitForStatus(status: string): Promise<void> {
    await waitUntil(`status ${status}`, async () => (await this.status()) === status);
  }
  /** The seqs and keys (event ids) of the rendered items, and how many items the list holds in all. */
  async rendered(): Promise<{ seqs: number[]; keys: string[]; total: number }> {
    return this.page.evaluate(() => {
      const items = [...document.querySelectorAll<HTMLElement>("[data-seq]")];
      const total = Number(document.querySelector("[aria-setsize]")?.getAttribute("aria-setsize") ?? 0);
      return { seqs: items.map((el) => Number(el.dataset.seq)), keys: items.map((el) => el.dataset.key ?? ""), total };
    });
  }

  async approve(): Promise<void> {
    await this.approveButton.click();
  }
  /** Denies the tool call waiting for approval, telling the agent why. */
  async deny(reason: string): Promise<void> {
    await this.timeline.getByRole("button", { name: "Deny…" }).click();
    await this.timeline.getByLabel(/^Why not\?/).fill(reason);
    await this.timeline.getByRole("button", { name: "Deny", exact: true }).click();
  }
  async sendToolResult(tool: string): Promise<void> {
    await this.toolResultForm(tool).getByRole("button", { name: "Send result" }).click();
  }
  async interrupt(): Promise<void> {
    await this.interruptButton.click();
  }

  /** Creates a share link and returns it (shown only once). */
  async createShareLink(): Promise<string> {
    await this.page.getByRole("button", { name: "Share…" }).click();
    await this.page.getByRole("button", { name: "Create link" }).click();
    return this.page.getByRole("textbox", { name: /^New link/ }).inputValue();
  }
  /** Revokes the share link, accepting the browser's confirmation, and waits for the list to say so. */
  async revokeShareLink(): Promise<void> {
    this.page.once("dialog", (dialog) => void dialog.accept());
    await this.page.getByRole("button", { name: "Revoke" }).click();
    await this.page.getByText("Revoked", { exact: true }).waitFor();
  }

  /** "Forked from <original> at event #N", on a fork's page. */
  get forkedFrom(): Locator {
    return this.page.getByTestId("forked-from");
  }
  /**
   * "Fork from here" on a timeline item (shown when the pointer is over it), and the new session's
   * page it opens; returns the fork's id.
   */
  async forkFrom(item: Locator): Promise<string> {
    const before = this.page.url();
    await item.hover();
    await item.getByRole("button", { name: /^Fork from here/ }).click();
    await this.page.waitForURL((url) => url.href !== before && /\/sessions\/sesn_/.test(url.pathname), { timeout: WAIT_MS });
    await this.live();
    return new URL(this.page.url()).pathname.split("/").at(-1)!;
  }
  /** Goes back to the original session `originalId` through the "Forked from" link. */
  async openOriginal(originalId: string): Promise<void> {
    await this.forkedFrom.getByRole("link").click();
    await this.page.waitForURL((url) => url.pathname.endsWith(`/sessions/${originalId}`), { timeout: WAIT_MS });
    await this.live();
  }

  async archive(): Promise<void> {
    await this.page.getByRole("button", { name: "Archive session" }).click();
    await this.page.getByRole("button", { name: "Yes, archive it" }).click();
  }
  /** Asks to delete the session: the page asks first (`confirmDelete` or `cancel`). */
  async askToDelete(): Promise<void> {
    await this.page.getByRole("button", { name: "Delete session" }).click();
  }
  async cancel(): Promise<void> {
    await this.page.getByRole("button", { name: "Cancel" }).click();
  }
  /** Confirms the delete, and waits for the sessions list it leads to. */
  async confirmDelete(): Promise<void> {
    await this.page.getByRole("button", { name: "Yes, delete it" }).click();
    await this.page.waitForURL(/\/sessions\?deleted=sesn_/, { timeout: WAIT_MS });
  }
}
