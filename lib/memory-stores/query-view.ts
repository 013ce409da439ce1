import "server-only";
import { queryEnum, queryLimit } from "@/lib/resource/query";
import type { TMemoryView } from "./schemas";

/** Most items a page holds with `view=full` (the API caps it there, whatever `limit` says). */
export const FULL_VIEW_PAGE_LIMIT = 20;

/** `view` of a request: `full` by default on retrieves, `basic` on lists, creates and updates. */
export function queryView(q: URLSearchParams, fallback: TMemoryView): TMemoryView {
  return queryEnum(q, "view", ["basic", "full"], fallback);
}

/** A list's `limit`, capped at 20 with `view=full`. */
export function queryPageLimit(q: URLSearchParams, view: TMemoryView): number {
  const limit = queryLimit(q);
  return view === "full" ? Math.min(limit, FULL_VIEW_PAGE_LIMIT) : limit;
}
