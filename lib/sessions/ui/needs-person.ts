import type { TToolCallItem } from "@/lib/timeline/fold-timeline";
import type { TPendingAction } from "./pending-actions";

/**
 * How a session that waits for a person says so outside its timeline: the banner's one-line
 * summary of a call, the tab title's prefix, and which calls started waiting since the last look
 * (for a notification). Pure, browser-safe.
 */

const SUMMARY_CHARS = 120;
const PREFIX = /^\(\d+\) Needs you · /;

/** One line of a call's input: a bash command or a path as is, anything else as compact JSON. */
export function summarizeInput(call: Pick<TToolCallItem, "input">, max = SUMMARY_CHARS): string {
  const { input } = call;
  const plain = ["command", "path", "file_path", "url", "query"].map((key) => input[key]).find((value) => typeof value === "string");
  const text = (typeof plain === "string" ? plain : Object.keys(input).length === 0 ? "" : JSON.stringify(input)).replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A document title without the prefix `attentionTitle` adds. */
export function baseTitle(title: string): string {
  return title.replace(PREFIX, "");
}

/** "(2) Needs you · <title>" while `count` calls wait; the title alone when none does. */
export function attentionTitle(title: string, count: number): string {
  const base = baseTitle(title);
  return count > 0 ? `(${count}) Needs you · ${base}` : base;
}

/** The badge's text: the count, "9+" beyond nine (it has to fit a 16-pixel icon). */
export function badgeText(count: number): string {
  return count > 9 ? "9+" : String(count);
}

/** The pending calls that were not pending before: what a notification is about. */
export function newlyWaiting(before: ReadonlySet<string>, now: readonly TPendingAction[]): TPendingAction[] {
  return now.filter((action) => !before.has(action.call.key));
}

/** A notification's text: the tool's name only (its input may hold what should not leave the page). */
export function notificationText(actions: readonly TPendingAction[]): { title: string; body: string } | null {
  const first = actions[0];
  if (!first) return null;
  const more = actions.length > 1 ? ` (and ${actions.length - 1} more)` : "";
  const body = first.kind === "confirm" ? `The agent asks to run ${first.call.name}${more}.` : `The agent waits for the result of ${first.call.name}${more}.`;
  return { title: "A session needs you", body };
}
