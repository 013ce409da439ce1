"use client";

import { useId, useState, useTransition } from "react";
import type { TShareLinkRow } from "@/lib/share/list-share-link-rows";

/**
 * The session view's share links: create a read-only replay link (its address is shown with a
 * copy button), see the links made so far — who made each, when, how often it was opened — copy
 * one again, revoke one: it stops working at once, for viewers already watching too. Data comes and
 * goes through the actions it is given.
 */
export type TShareActionResult<T> = { ok: true; value: T } | { ok: false; message: string };

export type TShareLinksPanelProps = {
  links: TShareLinkRow[];
  /** Creates a link for the session; resolves to its path (`/replay/<token>`) and the link. */
  create(): Promise<TShareActionResult<{ link: TShareLinkRow; path: string }>>;
  revoke(linkId: string): Promise<TShareActionResult<TShareLinkRow>>;
  /** The path of an active link again; without it, a link's address is shown only when it is made. */
  copy?(linkId: string): Promise<TShareActionResult<{ path: string }>>;
};

const button =
  "inline-flex items-center justify-center gap-2 rounded-lg px-3.5 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60";

export function ShareLinksPanel({ links: initialLinks, create, revoke, copy: copyAgain }: TShareLinksPanelProps) {
  const [links, setLinks] = useState(initialLinks);
  const [created, setCreated] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [copied, setCopied] = useState("");
  const [fieldLabel, setFieldLabel] = useState("New link");
  /** Whose address the field shows. */
  const [shownId, setShownId] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldId = useId();

  const onCreate = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await create();
      if (!result.ok) return setMessage(result.message);
      setLinks((prev) => [result.value.link, ...prev]);
      setCreated(new URL(result.value.path, window.location.origin).toString());
      setFieldLabel("New link");
      setShownId(result.value.link.id);
      setCopied("");
    });

  const onRevoke = (link: TShareLinkRow) =>
    startTransition(async () => {
      if (!window.confirm("Revoke this link? Anyone using it, including people watching right now, loses access at once.")) return;
      setMessage(null);
      const result = await revoke(link.id);
      if (!result.ok) return setMessage(result.message);
      setLinks((prev) => prev.map((l) => (l.id === link.id ? { ...result.value, created_by_name: l.created_by_name } : l)));
    });

  // the address again, in the same field a new link shows in, and to the clipboard
  const onCopyAgain = (link: TShareLinkRow) =>
    startTransition(async () => {
      if (!copyAgain) return;
      setMessage(null);
      const result = await copyAgain(link.id);
      if (!result.ok) return setMessage(result.message);
      const address = new URL(result.value.path, window.location.origin).toString();
      setCreated(address);
      setFieldLabel("Link address");
      setShownId(link.id);
      setCopied(await toClipboard(address));
    });

  const copy = async () => {
    if (created) setCopied(await toClipboard(created));
  };

  const active = links.filter((l) => !l.revoked_at);
  return (
    <section aria-labelledby={`${fieldId}-title`} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h2 id={`${fieldId}-title`} className="font-semibold">
            Share a replay
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Anyone with the link can watch this session, live while it runs, without signing in. They see its messages and tool calls, never its settings or credentials.
          </p>
        </div>
        <button type="button" onClick={onCreate} disabled={pending} className={`${button} bg-brand-600 text-white shadow-sm hover:bg-brand-700`}>
          Create link
        </button>
      </div>
      {message ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200">
          {message}
        </p>
      ) : null}
      {created ? (
        <div className="flex flex-col gap-1.5">
          <label htmlFor={fieldId} className="text-sm font-medium">
            {fieldLabel}
          </label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <input
              id={fieldId}
              data-link-id={shownId ?? undefined}
              readOnly
              value={created}
              onFocus={(event) => event.currentTarget.select()}
              className="w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            <button type="button" onClick={copy} className={`${button} border border-zinc-300 bg-white text-zinc-900 shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800`}>
              Copy
            </button>
          </div>
          <p aria-live="polite" className="min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
            {copied}
          </p>
        </div>
      ) : null}
      {links.length > 0 ? (
        <ul aria-label="Share links" className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {links.map((link) => (
            <li key={link.id} data-link-id={link.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span className="flex flex-col gap-0.5">
                <span className={link.revoked_at ? "text-zinc-500 line-through dark:text-zinc-500" : ""}>
                  Made by <span data-testid="share-link-creator">{link.created_by_name ?? "unknown"}</span>,{" "}
                  <time dateTime={link.created_at}>{link.created_at.slice(0, 16).replace("T", " ")} UTC</time>
                </span>
                <span data-testid="share-link-views" className="text-xs text-zinc-600 dark:text-zinc-400">
                  {link.view_count === 1 ? "Opened once" : link.view_count > 1 ? `Opened ${link.view_count.toLocaleString("en-US")} times` : "Not opened yet"}
                  {link.last_viewed_at ? <>, last <time dateTime={link.last_viewed_at}>{link.last_viewed_at.slice(0, 16).replace("T", " ")} UTC</time></> : null}
                </span>
              </span>
              {link.revoked_at ? (
                <span className="text-xs text-zinc-500">Revoked</span>
              ) : (
                <span className="flex gap-1">
                  {copyAgain ? (
                    <button type="button" onClick={() => onCopyAgain(link)} disabled={pending} className={`${button} text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800`}>
                      Copy link
                    </button>
                  ) : null}
                  <button type="button" onClick={() => onRevoke(link)} disabled={pending} className={`${button} text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950/40`}>
                    Revoke
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {active.length === 1 ? "1 active link" : `${active.length} active links`}
      </p>
    </section>
  );
}

/** Puts `text` on the clipboard; says what happened, or how to copy by hand where it cannot. */
async function toClipboard(text: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return "Copied to the clipboard.";
  } catch {
    return "Select the address and copy it with Ctrl+C (⌘C on a Mac).";
  }
}
