"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";

export type TSwitcherTeam = { slug: string; name: string; role: string };

/**
 * A disclosure listing the user's teams as links (the current team is the one in the URL). Keyboard:
 * Enter/Space opens it, Tab moves through the teams, Escape closes it and returns focus to the button.
 */
export function TeamSwitcher({ teams, currentSlug }: { teams: TSwitcherTeam[]; currentSlug?: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const current = teams.find((team) => team.slug === currentSlug);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  return (
    <div
      ref={rootRef}
      className="relative"
      onBlur={(event) => {
        if (open && !rootRef.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className="flex max-w-[14rem] items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm font-medium hover:bg-zinc-100 sm:max-w-xs dark:hover:bg-zinc-800"
      >
        <span className="sr-only">{current ? "Switch team. Current team: " : "Switch team: "}</span>
        <span className="truncate">{current?.name ?? "Your teams"}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 shrink-0 text-zinc-500" fill="currentColor">
          <path d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.17l3.71-3.94a.75.75 0 1 1 1.08 1.04l-4.25 4.5a.75.75 0 0 1-1.08 0l-4.25-4.5a.75.75 0 0 1 .02-1.06Z" />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute left-0 z-20 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
      >
        <nav aria-label="Your teams">
          <ul className="flex max-h-80 flex-col overflow-y-auto">
            {teams.map((team) => {
              const isCurrent = team.slug === currentSlug;
              return (
                <li key={team.slug}>
                  <Link
                    href={`/t/${team.slug}`}
                    aria-current={isCurrent ? "page" : undefined}
                    onClick={() => setOpen(false)}
                    className={`flex items-center justify-between gap-3 rounded-lg px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${
                      isCurrent ? "bg-zinc-100 font-medium dark:bg-zinc-800" : ""
                    }`}
                  >
                    <span className="truncate">{team.name}</span>
                    <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">
                      {isCurrent ? <span aria-hidden="true">✓ </span> : null}
                      {team.role === "owner" ? "Owner" : "Member"}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="mt-1.5 border-t border-zinc-200 pt-1.5 dark:border-zinc-800">
          <Link
            href="/teams/new"
            onClick={() => setOpen(false)}
            className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-brand-700 hover:bg-zinc-100 dark:text-brand-300 dark:hover:bg-zinc-800"
          >
            <span aria-hidden="true">+</span> Create a team
          </Link>
        </div>
      </div>
    </div>
  );
}
