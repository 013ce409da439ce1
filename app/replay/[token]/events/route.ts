import { NextResponse } from "next/server";
import { z } from "zod";
import { useCases } from "@/lib/server/root";
import { REPLAY_PAGE_SIZE } from "@/lib/share/load-replay";

export const dynamic = "force-dynamic";

const ZPageQuerySchema = z.object({
  after_seq: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  limit: z.coerce.number().int().min(1).max(REPLAY_PAGE_SIZE).default(REPLAY_PAGE_SIZE),
});

/** Never cached by anyone, never indexed: the token is in the address. */
const HEADERS = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" };

/**
 * `GET /replay/<token>/events?after_seq=<seq>&limit=<n>`: the replay player's next page of events,
 * `{ events, has_more }`, as a share-link guest sees them. The token authorizes it exactly as it
 * authorizes the page: an unknown, revoked or malformed token, or a deleted session, is a 404.
 */
export async function GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<NextResponse> {
  const { token } = await context.params;
  const url = new URL(request.url);
  const query = ZPageQuerySchema.safeParse({ after_seq: url.searchParams.get("after_seq") ?? undefined, limit: url.searchParams.get("limit") ?? undefined });
  if (!query.success) return NextResponse.json({ error: "invalid_request" }, { status: 400, headers: HEADERS });
  const page = await useCases().replays.loadPage({ token, afterSeq: query.data.after_seq, limit: query.data.limit });
  if (!page) return NextResponse.json({ error: "not_found" }, { status: 404, headers: HEADERS });
  return NextResponse.json({ events: page.events, has_more: page.hasMore }, { headers: HEADERS });
}
