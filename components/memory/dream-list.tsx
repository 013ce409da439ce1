import Link from "next/link";
import { Badge } from "@/components/agents/fields";
import { DateText } from "@/components/ui/date-text";

/** What the list shows of a dream (the API's Dream object has these fields). */
export type TDreamItem = {
  id: string;
  status: "pending" | "running" | "completed" | "failed" | "canceled";
  created_at: string;
  inputs: ReadonlyArray<{ type: string; memory_store_id?: string; session_ids?: string[] }>;
  outputs: ReadonlyArray<{ memory_store_id: string }>;
  session_id: string | null;
  error: { type: string; message: string } | null;
};

const TONE = { pending: "neutral", running: "brand", completed: "brand", failed: "warning", canceled: "neutral" } as const;

/** A memory store's dreams: status, when, what it wrote to and the session that ran it. */
export function DreamList({ dreams, storeId, storeHref, sessionHref }: { dreams: readonly TDreamItem[]; storeId: string; storeHref: (id: string) => string; sessionHref: (id: string) => string }) {
  return (
    <ul className="flex flex-col divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Dreams">
      {dreams.map((dream) => {
        const output = dream.outputs[0]?.memory_store_id;
        const sessions = dream.inputs.find((i) => i.type === "sessions")?.session_ids?.length ?? 0;
        return (
          <li key={dream.id} className="flex flex-col gap-1 py-3 text-sm" data-dream-id={dream.id}>
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={TONE[dream.status]}>{dream.status}</Badge>
              <span className="font-mono text-xs">{dream.id}</span>
              <span className="text-zinc-600 dark:text-zinc-400">
                <DateText date={new Date(dream.created_at)} /> · {sessions} {sessions === 1 ? "session" : "sessions"}
              </span>
            </div>
            <div className="flex flex-wrap gap-3 text-zinc-700 dark:text-zinc-300">
              {output ? (
                output === storeId ? (
                  <span>Writes into this store</span>
                ) : (
                  <Link className="underline" href={storeHref(output)}>
                    Output store
                  </Link>
                )
              ) : null}
              {dream.session_id ? (
                <Link className="underline" href={sessionHref(dream.session_id)}>
                  Session
                </Link>
              ) : null}
            </div>
            {dream.error ? <p className="text-amber-800 dark:text-amber-300">{dream.error.message}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
