/** What a share link shows once it opens nothing: never saying whether it ever did. */
export function LinkInvalid({ revokedWhileWatching = false }: { revokedWhileWatching?: boolean }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-medium text-brand-700 dark:text-brand-300">{revokedWhileWatching ? "Replay ended" : "404"}</p>
      <h1 className="text-2xl font-semibold tracking-tight">This link is no longer valid</h1>
      <p className="text-zinc-600 dark:text-zinc-400">
        {revokedWhileWatching
          ? "The link to this session was revoked while you were watching, or the session was deleted. Ask whoever shared it for a new link."
          : "The replay link may have been revoked, or the session it pointed to deleted. Ask whoever shared it for a new link."}
      </p>
      <a
        href="/"
        className="rounded-lg border border-zinc-300 bg-white px-3.5 py-2 text-sm font-medium text-zinc-900 shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        Open Managed Agents
      </a>
    </main>
  );
}
