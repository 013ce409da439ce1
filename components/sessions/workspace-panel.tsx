"use client";

import { useCallback, useEffect, useState } from "react";
import type { TWorkspaceEntry } from "@/lib/sessions/workspace/workspace-entry";

type TListing = { entries: TWorkspaceEntry[]; truncated: boolean } | null;
type TPreview = { path: string; size: number; text: string | null };

/** Where the page's workspace reads are: the session page's address plus `/workspace`. */
function workspaceUrl(query: string): string {
  return `${window.location.pathname.replace(/\/$/, "")}/workspace?${query}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The workspace panel (the session page's "Files" tab): the live sandbox's files as a tree (each
 * path indented by its depth), one opened beside it as text, a download link for each, and the
 * whole workspace as a zip. Read when the tab opens and on "Refresh".
 */
export function WorkspacePanel() {
  const [listing, setListing] = useState<TListing | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<TPreview | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const response = await fetch(workspaceUrl("list"), { cache: "no-store" }).catch(() => null);
    if (!response?.ok) {
      setError("The files could not be read. Try again.");
      return;
    }
    setListing(((await response.json()) as { listing: TListing }).listing);
  }, []);
  useEffect(() => void load(), [load]);

  const open = async (path: string) => {
    const response = await fetch(workspaceUrl(`preview=${encodeURIComponent(path)}`), { cache: "no-store" }).catch(() => null);
    if (!response?.ok) {
      setPreview({ path, size: 0, text: null });
      return;
    }
    setPreview((await response.json()) as TPreview);
  };

  return (
    <section aria-label="Workspace" className="flex min-h-0 flex-1 flex-col gap-3 py-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <button type="button" onClick={() => void load()} className="rounded-md border border-zinc-300 px-2.5 py-1 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900">
          Refresh
        </button>
        {listing ? (
          <a href={workspaceUrl("zip")} download className="font-medium text-brand-700 underline dark:text-brand-300">
            Download all (zip)
          </a>
        ) : null}
        {listing?.truncated ? <span className="text-zinc-600 dark:text-zinc-400">Only the first {listing.entries.length} entries are listed.</span> : null}
      </div>
      {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
      {listing === undefined && !error ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Reading the files…</p> : null}
      {listing === null ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No sandbox is running for this session on this server: it starts with the agent&apos;s first tool call, and is put away when it has been idle a while.
        </p>
      ) : null}
      {listing ? (
        <div className="grid min-h-0 flex-1 gap-3 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
          <ul aria-label="Files of the workspace" className="min-h-0 overflow-auto rounded-lg border border-zinc-200 py-1 text-sm dark:border-zinc-800">
            {listing.entries.length === 0 ? <li className="px-3 py-1 text-zinc-600 dark:text-zinc-400">The workspace is empty.</li> : null}
            {listing.entries.map((entry) => {
              const depth = entry.path.split("/").length - 1;
              const name = entry.path.split("/").at(-1);
              return (
                <li key={entry.path} style={{ paddingLeft: `${0.75 + depth}rem` }} className="flex items-center justify-between gap-2 pr-2">
                  {entry.type === "file" ? (
                    <>
                      <button type="button" onClick={() => void open(entry.path)} aria-label={`Open ${entry.path}`} aria-current={preview?.path === entry.path ? "true" : undefined} className="truncate py-0.5 text-left font-mono hover:underline aria-[current=true]:font-semibold">
                        {name}
                      </button>
                      <span className="flex shrink-0 items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
                        {formatSize(entry.size)}
                        <a href={workspaceUrl(`download=${encodeURIComponent(entry.path)}`)} download aria-label={`Download ${entry.path}`} className="underline">
                          Download
                        </a>
                      </span>
                    </>
                  ) : (
                    <span className="truncate py-0.5 font-mono text-zinc-700 dark:text-zinc-300">
                      {name}
                      {entry.type === "directory" ? "/" : " → (link)"}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          <div aria-label="Opened file" role="region" className="min-h-0 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            {preview ? (
              <>
                <p className="border-b border-zinc-200 px-3 py-1.5 font-mono text-xs dark:border-zinc-800">{preview.path}</p>
                {preview.text === null ? (
                  <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">Not shown here (not text, or too large to preview): download it.</p>
                ) : (
                  <pre aria-label={`Content of ${preview.path}`} className="whitespace-pre-wrap break-words px-3 py-2 font-mono text-xs">{preview.text}</pre>
                )}
              </>
            ) : (
              <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">Open a file to see it here.</p>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}
