"use client";

import { useRef } from "react";
import { useFillViewport } from "./use-fill-viewport";

const bar = "rounded bg-zinc-200 dark:bg-zinc-800";

/**
 * The session page while its log loads, in the shape of what comes: the breadcrumb, then the chat
 * filling the window (its header, the conversation, the message box at the foot), sized the way
 * the session view sizes itself (`useFillViewport`, with the same CSS before it measures), so
 * nothing jumps when the page arrives.
 */
export function SessionSkeleton() {
  const chat = useRef<HTMLDivElement>(null);
  const height = useFillViewport(chat);
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-6" data-testid="session-skeleton">
      <span className="sr-only">Loading the session…</span>
      <div aria-hidden="true" className="-mt-2 h-5 w-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />
      <div ref={chat} aria-hidden="true" style={height === null ? undefined : { height }} className="flex h-[calc(100dvh-15rem)] min-h-[28rem] animate-pulse flex-col gap-3">
        <div className="flex shrink-0 flex-col gap-2 rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <div className={`h-5 w-48 ${bar}`} />
          <div className={`h-3 w-72 max-w-full ${bar} opacity-60`} />
          <div className="mt-1 h-6 border-t border-zinc-200 pt-2 dark:border-zinc-800">
            <div className={`h-3 w-32 ${bar} opacity-60`} />
          </div>
        </div>
        <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-hidden rounded-xl border border-zinc-200 bg-zinc-50/60 p-4 dark:border-zinc-800 dark:bg-zinc-950/40" data-testid="skeleton-conversation">
          <div className="ml-auto h-14 w-2/3 max-w-md rounded-xl bg-brand-100/70 dark:bg-zinc-800/60" />
          <div className="h-24 w-5/6 max-w-2xl rounded-xl bg-white ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800" />
          <div className="h-16 w-3/4 max-w-xl rounded-xl bg-zinc-900/10 dark:bg-zinc-800/60" />
        </div>
        <div className="flex h-24 shrink-0 items-end justify-end rounded-xl border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="skeleton-composer">
          <div className="h-8 w-20 rounded-lg bg-brand-100 dark:bg-zinc-800" />
        </div>
      </div>
    </div>
  );
}
