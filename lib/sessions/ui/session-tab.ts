/**
 * The session page's tabs: the conversation (the default), the timeline (the waterfall of turns,
 * model requests and tool calls) and the files of the live sandbox (the workspace panel). The tab is in the address (`?tab=timeline`), so a link opens it;
 * the conversation has no parameter, so the address a session is shared by stays as it was.
 */
export const SESSION_TABS = ["conversation", "timeline", "files"] as const;
export type TSessionTab = (typeof SESSION_TABS)[number];

/** The tab an address asks for; anything else (absent, repeated, unknown) is the conversation. */
export function parseSessionTab(value: string | string[] | null | undefined): TSessionTab {
  return value === "timeline" || value === "files" ? value : "conversation";
}

/** The address of `tab` on the page at `href`, every other parameter and the hash kept. */
export function sessionTabHref(href: string, tab: TSessionTab): string {
  const url = new URL(href);
  if (tab === "conversation") url.searchParams.delete("tab");
  else url.searchParams.set("tab", tab);
  return url.pathname + url.search + url.hash;
}
