import type { TViewer } from "@/lib/realtime/session-protocol";

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words.at(-1)![0]] : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toUpperCase();
}

// a few calm colours, picked by the viewer's id so everyone sees the same one for a person
const COLOURS = [
  "bg-brand-100 text-brand-700 dark:bg-brand-700 dark:text-brand-50",
  "bg-emerald-100 text-emerald-800 dark:bg-emerald-800 dark:text-emerald-50",
  "bg-amber-100 text-amber-800 dark:bg-amber-800 dark:text-amber-50",
  "bg-rose-100 text-rose-800 dark:bg-rose-800 dark:text-rose-50",
  "bg-sky-100 text-sky-800 dark:bg-sky-800 dark:text-sky-50",
];

function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length]!;
}

/** Who is watching the session right now: overlapping avatars, then the names. */
export function PresenceList({ viewers, selfId }: { viewers: readonly TViewer[]; selfId: string }) {
  const names = viewers.map((viewer) => (viewer.id === selfId ? `${viewer.name} (you)` : viewer.name));
  return (
    <div className="flex min-w-0 items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="presence">
      {viewers.length > 0 ? (
        <span aria-hidden="true" className="flex shrink-0 -space-x-1.5">
          {viewers.slice(0, 5).map((viewer) => (
            <span
              key={viewer.id}
              title={viewer.name}
              className={`inline-flex size-7 items-center justify-center rounded-full text-[0.7rem] font-semibold ring-2 ring-white dark:ring-zinc-900 ${colourOf(viewer.id)}`}
            >
              {initials(viewer.name)}
            </span>
          ))}
          {viewers.length > 5 ? (
            <span className="inline-flex size-7 items-center justify-center rounded-full bg-zinc-200 text-[0.7rem] font-semibold ring-2 ring-white dark:bg-zinc-700 dark:ring-zinc-900">
              +{viewers.length - 5}
            </span>
          ) : null}
        </span>
      ) : null}
      <p className="min-w-0">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">Watching:</span> {names.length > 0 ? names.join(", ") : "no one yet"}
      </p>
    </div>
  );
}
