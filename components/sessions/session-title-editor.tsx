"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, useTransition } from "react";

export type TRenameResult = { ok: true; title: string | null } | { ok: false; message: string };

type TProps = {
  sessionId: string;
  href: string;
  /** The session's own title, or null. */
  title: string | null;
  /** What shows when it has none: its first message (cut), else "Untitled session". */
  fallback: string | null;
  rename(input: { sessionId: string; title: string }): Promise<TRenameResult>;
};

/**
 * A session's title in the sessions list, as the link to the session, with a Rename button that
 * turns it into a field in place: Enter (or Save) renames, Escape (or Cancel) leaves it as it was;
 * an empty title goes back to the first message. A refusal shows under the field, which stays.
 */
export function SessionTitleEditor({ sessionId, href, title: savedTitle, fallback, rename }: TProps) {
  const [title, setTitle] = useState(savedTitle);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();

  // a rename by someone else (the list re-reads itself) shows, unless this one is being edited
  useEffect(() => {
    if (!editing) setTitle(savedTitle);
  }, [savedTitle, editing]);
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const shown = title ?? fallback;
  const start = () => {
    setDraft(title ?? "");
    setError(null);
    setEditing(true);
  };
  const save = () =>
    startTransition(async () => {
      const result = await rename({ sessionId, title: draft });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setTitle(result.title);
      setEditing(false);
    });

  if (editing) {
    return (
      <form
        className="relative z-10 flex flex-col gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <div className="flex flex-wrap items-center gap-2">
          <input
            ref={input}
            aria-label="Session title"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            value={draft}
            placeholder={fallback ?? "Untitled session"}
            maxLength={1000}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") setEditing(false);
            }}
            className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)} className="rounded-md px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
            Cancel
          </button>
        </div>
        {error ? (
          <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </form>
    );
  }
  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <Link
        href={href}
        data-testid="session-title"
        className="truncate font-medium after:absolute after:inset-0 hover:text-brand-700 dark:hover:text-brand-300"
      >
        {shown ? (
          <span className={title ? undefined : "text-zinc-700 dark:text-zinc-300"}>{shown}</span>
        ) : (
          <span className="text-zinc-500 italic dark:text-zinc-400">Untitled session</span>
        )}
      </Link>
      <button
        type="button"
        onClick={start}
        aria-label={`Rename ${shown ?? "untitled session"}`}
        title="Rename"
        className="relative z-10 shrink-0 rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path d="M13.6 2.9a2 2 0 0 1 2.8 2.8l-9.2 9.2-3.7.9.9-3.7 9.2-9.2Zm-1.4 2.1-7 7-.4 1.6 1.6-.4 7-7-1.2-1.2Z" />
        </svg>
      </button>
    </div>
  );
}
