import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toViewEvents, viewEventTypes } from "@/lib/realtime/view-events";
import type { SessionStore } from "@/lib/event-log/session-store";
import { modelFamily, type TModelFamily } from "@/lib/timeline/estimate-cost";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { resolveShareToken } from "./resolve-share-token";

/**
 * The replay is paged: the page carries the log's first REPLAY_PAGE_SIZE events inline (enough to
 * paint the player at once), and the player fetches the rest, REPLAY_PAGE_SIZE at a time, from
 * `GET /replay/<token>/events?after_seq=…` (authorized by the same token), folding each page as it
 * lands. A 10,000-event log is no longer one multi-megabyte HTML page.
 */
export const REPLAY_PAGE_SIZE = 1_000;

/**
 * A page of a replay's events, as a share-link guest sees them (view-events.ts): the wire events
 * and the sandbox status, `session.updated` cut to its title. `hasMore` says whether the log held
 * more when the page was read.
 */
export type TReplayPage = { events: TTimelineEvent[]; hasMore: boolean };

/**
 * What a replay page receives: the first page of the log and, of the session itself, only its
 * title, its agent's name and its model's family (for the cost estimate). Never its metadata,
 * vaults, resources, environment or agent configuration.
 */
export type TReplay = {
  sessionId: string;
  title: string | null;
  agentName: string | null;
  modelFamily: TModelFamily | null;
  firstPage: TReplayPage;
};

type TDeps = { prisma: PrismaClient; store: Pick<SessionStore, "getSession" | "getEvents"> };

function agentFields(snapshot: Record<string, unknown>): { agentName: string | null; model: string | null } {
  const name = typeof snapshot.name === "string" ? snapshot.name : null;
  const model = snapshot.model;
  const id = typeof model === "string" ? model : model && typeof model === "object" && typeof (model as { id?: unknown }).id === "string" ? (model as { id: string }).id : null;
  return { agentName: name, model: id };
}

async function readPage(store: TDeps["store"], sessionId: string, afterSeq: number, limit: number): Promise<TReplayPage> {
  // one more than asked for tells whether there is more, without a count
  const rows = await store.getEvents(sessionId, { afterSeq, limit: limit + 1, types: viewEventTypes("guest") });
  return { events: toViewEvents(rows.slice(0, limit), "guest"), hasMore: rows.length > limit };
}

/**
 * The replay a share token opens, with its first page of events; null when the token opens nothing.
 * Each load is a view of the link (`viewCount`, `lastViewedAt`: the replay page loads once per
 * visit; the pages of events fetched after it are not views).
 */
export async function loadReplay(deps: TDeps, options: { token: string; pageSize?: number }): Promise<TReplay | null> {
  const link = await resolveShareToken(deps, options.token);
  if (!link) return null;
  await deps.prisma.shareLink.updateMany({ where: { id: link.linkId, revokedAt: null }, data: { viewCount: { increment: 1 }, lastViewedAt: new Date() } });
  const session = await deps.store.getSession(link.sessionId);
  if (!session) return null;
  const agent = agentFields(session.agentSnapshot);
  return {
    sessionId: session.id,
    title: session.title,
    agentName: agent.agentName,
    modelFamily: modelFamily(agent.model),
    firstPage: await readPage(deps.store, session.id, 0, options.pageSize ?? REPLAY_PAGE_SIZE),
  };
}

/**
 * The events after `afterSeq` of the session a share token opens, one page; null when the token
 * opens nothing (unknown, malformed, revoked, or its session deleted) — the route's 404.
 */
export async function loadReplayPage(deps: TDeps, options: { token: string; afterSeq: number; limit?: number }): Promise<TReplayPage | null> {
  const link = await resolveShareToken(deps, options.token);
  if (!link) return null;
  const limit = Math.max(1, Math.min(options.limit ?? REPLAY_PAGE_SIZE, REPLAY_PAGE_SIZE));
  return readPage(deps.store, link.sessionId, Math.max(0, Math.trunc(options.afterSeq)), limit);
}
