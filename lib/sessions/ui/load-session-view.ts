import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toViewEvents, viewEventTypes } from "@/lib/realtime/view-events";
import { MAX_EVENT_LIMIT, type SessionStore, type TSessionRecord } from "@/lib/event-log/session-store";
import { sessionEnvironmentsOf } from "@/lib/event-log/session-environments";
import type { THandInput } from "@/lib/timeline/fold-hands";
import { listShareLinkRows, type TShareLinkRow } from "@/lib/share/list-share-link-rows";
import type { TActorNames } from "@/lib/timeline/actor-label";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { findTeamSession } from "../find-team-session";
import { loadActorNames } from "./load-actor-names";
import { sessionToWire, type TWireSession } from "../session-to-wire";

/** The agent's name and model as the session pinned them (the snapshot is free-form JSON). */
export function agentOfSnapshot(snapshot: Record<string, unknown>): { name: string | null; model: string | null } {
  const name = typeof snapshot.name === "string" && snapshot.name !== "" ? snapshot.name : null;
  const model = snapshot.model;
  const id = typeof model === "string" ? model : model && typeof model === "object" && typeof (model as { id?: unknown }).id === "string" ? (model as { id: string }).id : null;
  return { name, model: id };
}

export type TSessionView = {
  session: TWireSession;
  agentName: string | null;
  model: string | null;
  /** The whole log as a team member sees it (view-events.ts), each event with its seq. */
  events: TTimelineEvent[];
  shareLinks: TShareLinkRow[];
  /** Who sent the client events, by id (the events carry ids only: a member sees `actor`). */
  actorNames: TActorNames;
  /** The session's environments, for its "Hands" list; null for a session of one environment (nothing to list). */
  hands: THandInput[] | null;
};

/**
 * What the session page starts from: the team's session (404 for anyone else's), its whole log
 * and its share links. Live events then come over Socket.io, joined after the last seq read here.
 */
export async function loadSessionView(deps: { prisma: PrismaClient; store: SessionStore }, options: { teamId: string; sessionId: string }): Promise<TSessionView> {
  const record = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const events: TTimelineEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await deps.store.getEvents(record.id, { afterSeq, limit: MAX_EVENT_LIMIT, types: viewEventTypes("member") });
    events.push(...toViewEvents(page, "member"));
    if (page.length < MAX_EVENT_LIMIT) break;
    afterSeq = page.at(-1)!.seq;
  }
  const [shareLinks, actorNames, hands] = await Promise.all([
    listShareLinkRows(deps, { teamId: options.teamId, sessionId: record.id }),
    loadActorNames(deps.prisma, { teamId: options.teamId, actors: events.flatMap((e) => (e.actor ? [e.actor] : [])) }),
    loadHands(deps.prisma, record),
  ]);
  const agent = agentOfSnapshot(record.agentSnapshot);
  return {
    session: sessionToWire(record),
    agentName: agent.name,
    model: agent.model,
    events,
    shareLinks,
    actorNames,
    hands,
  };
}

/** Each of the session's environments with its name and kind, the primary first; null when it has only the primary. */
async function loadHands(prisma: PrismaClient, record: TSessionRecord): Promise<THandInput[] | null> {
  if (!record.additionalEnvironments || record.additionalEnvironments.length === 0) return null;
  const refs = sessionEnvironmentsOf(record);
  const rows = await prisma.environment.findMany({ where: { id: { in: refs.map((r) => r.id) }, teamId: record.teamId }, select: { id: true, name: true, config: true } });
  return refs.map((ref) => {
    const row = rows.find((r) => r.id === ref.id);
    const kind = row && (row.config as { type?: unknown } | null)?.type === "self_hosted" ? "self_hosted" : "cloud";
    return { id: ref.id, label: ref.name ? `${ref.name} (${row?.name ?? ref.id})` : (row?.name ?? ref.id), kind, primary: ref.primary };
  });
}
