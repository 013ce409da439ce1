"use client";

import { useEffect, useRef, useState } from "react";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";

/**
 * Fetches the rest of a replay's log after the page that came inline, one page at a time from
 * `GET /replay/<token>/events?after_seq=…`, handing each to `onEvents` as it lands (the player folds
 * it in). A failed page is retried with a growing pause; a 404 (the link revoked meanwhile) stops.
 */
export type TPagesStatus = "loading" | "done" | "revoked";

type TOptions = {
  token: string;
  /** Whether the inline page left events out. */
  hasMore: boolean;
  /** The highest seq the player holds (read before each page). */
  lastSeq(): number;
  onEvents(events: TTimelineEvent[]): void;
};

const RETRY_MS = [500, 1_000, 2_000, 5_000];

export function useReplayPages({ token, hasMore, lastSeq, onEvents }: TOptions): TPagesStatus {
  const [status, setStatus] = useState<TPagesStatus>(hasMore ? "loading" : "done");
  const callbacks = useRef({ lastSeq, onEvents });
  callbacks.current = { lastSeq, onEvents };

  useEffect(() => {
    if (!hasMore) return;
    const abort = new AbortController();
    let failures = 0;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const url = `/replay/${encodeURIComponent(token)}/events?after_seq=${callbacks.current.lastSeq()}`;
          const response = await fetch(url, { signal: abort.signal, cache: "no-store" });
          if (response.status === 404) return setStatus("revoked");
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const page = (await response.json()) as { events: TTimelineEvent[]; has_more: boolean };
          failures = 0;
          if (page.events.length > 0) callbacks.current.onEvents(page.events);
          if (!page.has_more || page.events.length === 0) return setStatus("done");
        } catch {
          if (abort.signal.aborted) return;
          await pause(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!);
        }
      }
    })();
    return () => abort.abort();
  }, [token, hasMore]);

  return status;
}
