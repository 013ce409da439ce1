import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { TStoredEvent } from "@/lib/event-log/events";
import { MAX_EVENT_LIMIT, type SessionStore, type TNewSession, type TSessionRecord } from "@/lib/event-log/session-store";
import { parseWith } from "@/lib/resource/parse";
import { isId, newId } from "@/lib/ids";
import type { VaultCipher } from "@/lib/vault/cipher";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { findTeamSession } from "./find-team-session";
import { planForkLog, type TForkedEvent } from "./fork-log";
import { ZSessionForkSchema } from "./schemas";
import { loadSessionRepositories, prepareSessionRepositories } from "./session-repositories";
import { sessionToWire } from "./session-to-wire";

/**
 * Forks a session of the team from one of its events (`POST /v1/sessions/{id}/fork`, our own
 * extension of the Managed Agents API): a new session whose log is the original's up to and
 * including that event, recorded as copied, ready for a new message. The original is only read.
 *
 * What the fork takes from the original, as the original is now: the pinned agent (the same
 * version, with the same per-session overrides: the snapshot itself), the environment, the vaults,
 * the title, the metadata, the budget and the resources — repositories with their tokens, sealed
 * again for the fork (a sealed token is bound to its session). What it does not take: the sandbox
 * (it gets a fresh one at its first tool call), share links, the archived mark. Its usage is the
 * fold of its log, so it starts at the original's usage up to the cut.
 *
 * The log (fork-log.ts): the copies with new ids and the original's content, a `span.fork_origin`
 * naming the original session and event, then — when the cut is inside a turn — the events that
 * close it, so the fork is idle with nothing open. Session, log and repositories are
 * one write (`createSessionWithLog`): a fork exists whole or not at all. Nothing wakes it: the
 * first message sent to it does.
 *
 * Like creating a session, forking is refused while the environment is archived.
 */
export type TCreateSessionWithLog = (input: TNewSession & { createdBy?: string | null }, events: readonly TForkedEvent[]) => Promise<TSessionRecord>;

export type TForkedFrom = { session_id: string; event_id: string };

export async function forkSession(
  deps: { prisma: PrismaClient; store: SessionStore; createSessionWithLog: TCreateSessionWithLog; cipher?: VaultCipher },
  options: {
    teamId: string;
    sessionId: string;
    body: unknown;
    /** Who forks it: the member's user id, or the API key's id (the sessions list shows who started each). */
    createdBy?: string | null;
  },
) {
  const input = parseWith(ZSessionForkSchema, options.body);
  const original = await findTeamSession(deps.store, options.teamId, options.sessionId);
  const [cut] = isId("event", input.event_id) ? await deps.store.getEvents(original.id, { ids: [input.event_id] }) : [];
  if (!cut) throw new AppError("invalid_request", `event_id: ${input.event_id.slice(0, 64)} is not an event of session ${original.id}`, { path: "event_id" });

  const environment = await deps.prisma.environment.findFirst({ where: { id: original.environmentId, teamId: original.teamId }, select: { archivedAt: true } });
  if (!environment || environment.archivedAt) {
    throw new AppError("invalid_request", `environment ${original.environmentId} is archived`, { errorCode: "environment_archived" });
  }

  const sessionId = newId("session");
  const now = new Date().toISOString();
  const events = planForkLog({ source: { sessionId: original.id, cut }, events: await readUpTo(deps.store, original.id, cut.seq), newId: () => newId("event"), now });
  const repositories = await copyRepositories(deps, original, sessionId);
  const fork = await deps.createSessionWithLog(
    {
      id: sessionId,
      teamId: original.teamId,
      agentId: original.agentId,
      agentVersion: original.agentVersion,
      agentSnapshot: original.agentSnapshot,
      environmentId: original.environmentId,
      title: original.title,
      metadata: original.metadata,
      vaultIds: original.vaultIds,
      resources: original.resources.map((r) => (isRepository(r) ? repositories.wire.shift()! : r)),
      budget: original.budget,
      additionalEnvironments: original.additionalEnvironments ?? [],
      repositories: repositories.rows,
      createdBy: options.createdBy ?? null,
    },
    events,
  );
  const forkedFrom: TForkedFrom = { session_id: original.id, event_id: cut.id };
  return { ...sessionToWire(fork), forked_from: forkedFrom };
}

/** The log up to and including `seq`, read in pages. */
async function readUpTo(store: SessionStore, sessionId: string, seq: number): Promise<TStoredEvent[]> {
  const events: TStoredEvent[] = [];
  for (;;) {
    const page = await store.getEvents(sessionId, { afterSeq: events.at(-1)?.seq ?? 0, beforeSeq: seq + 1, limit: MAX_EVENT_LIMIT });
    events.push(...page);
    if (page.length < MAX_EVENT_LIMIT) return events;
  }
}

const isRepository = (resource: unknown) => typeof resource === "object" && resource !== null && (resource as { type?: unknown }).type === "github_repository";

/** The original's repositories for the fork: new resource ids, tokens opened and sealed again for it. */
async function copyRepositories(deps: { prisma: PrismaClient; cipher?: VaultCipher }, original: TSessionRecord, sessionId: string) {
  if (!original.resources.some(isRepository)) return { wire: [], rows: [] };
  const cipher = () => deps.cipher ?? getVaultCipher();
  const checkouts = await loadSessionRepositories(deps.prisma, cipher, original.id);
  return prepareSessionRepositories(
    checkouts.map((c, index) => ({
      index,
      resource: { type: "github_repository" as const, url: c.url, mount_path: c.mountPath, ...(c.checkout ? { checkout: c.checkout } : {}), ...(c.token ? { authorization_token: c.token } : {}) },
    })),
    { sessionId, cipher },
  );
}
