"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { parseSessionTab, SESSION_TABS, sessionTabHref, type TSessionTab } from "@/lib/sessions/ui/session-tab";

const LABELS: Record<TSessionTab, string> = { conversation: "Conversation", timeline: "Timeline", files: "Files" };

export const tabId = (tab: TSessionTab) => `session-tab-${tab}`;
export const panelId = (tab: TSessionTab) => `session-panel-${tab}`;

/**
 * The tab shown, kept in the address (`?tab=timeline`): a change replaces the history entry
 * rather than adding one, through the History API, which Next's router follows without reloading
 * the page (its data stays, and so does the live connection). Back and forward are followed too.
 */
export function useSessionTab(initial: TSessionTab): [TSessionTab, (tab: TSessionTab) => void] {
  const [tab, setTab] = useState(initial);
  useEffect(() => {
    const onPop = () => setTab(parseSessionTab(new URL(window.location.href).searchParams.get("tab")));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const choose = useCallback((next: TSessionTab) => {
    setTab(next);
    window.history.replaceState(window.history.state, "", sessionTabHref(window.location.href, next));
  }, []);
  return [tab, choose];
}

/** The tab list (WAI-ARIA tabs: ←/→, Home and End move between tabs and show them). */
export function SessionTabs({ tab, onChange }: { tab: TSessionTab; onChange(tab: TSessionTab): void }) {
  const refs = useRef(new Map<TSessionTab, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const at = SESSION_TABS.indexOf(tab);
    const next =
      event.key === "ArrowRight" ? SESSION_TABS[(at + 1) % SESSION_TABS.length]
      : event.key === "ArrowLeft" ? SESSION_TABS[(at - 1 + SESSION_TABS.length) % SESSION_TABS.length]
      : event.key === "Home" ? SESSION_TABS[0]
      : event.key === "End" ? SESSION_TABS.at(-1)
      : undefined;
    if (!next) return;
    event.preventDefault();
    onChange(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div role="tablist" aria-label="Session views" className="flex shrink-0 gap-1 border-b border-zinc-200 dark:border-zinc-800" onKeyDown={onKeyDown}>
      {SESSION_TABS.map((name) => {
        const selected = name === tab;
        return (
          <button
            key={name}
            ref={(el) => {
              if (el) refs.current.set(name, el);
              else refs.current.delete(name);
            }}
            type="button"
            role="tab"
            id={tabId(name)}
            aria-selected={selected}
            aria-controls={selected ? panelId(name) : undefined}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(name)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${
              selected
                ? "border-brand-600 text-brand-700 dark:border-brand-400 dark:text-brand-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {LABELS[name]}
          </button>
        );
      })}
    </div>
  );
}
