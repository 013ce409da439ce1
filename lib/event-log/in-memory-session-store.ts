import "server-only";
import { LeaseLostError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { TStoredEvent } from "./events";
import { foldSessionState, INITIAL_SESSION_STATE } from "./fold";
import {
  AppendRefusedError,
  LogMovedError,
  hooksMissing,
  refusalOf,
  normalizeEventQuery,
  sessionNotFound,
  validateAppend,
  type SessionStore,
  type TAppendOptions,
  type TAppendResult,
  type TEventQuery,
  type TNewSession,
  type TNewSessionRepository,
  type TSessionRecord,
  type SyncAppendHooks,
} from "./session-store";

type TEntry = {
  record: TSessionRecord;
  repositories: TNewSessionRepository[];
  events: TStoredEvent[];
  appends: Map<string, { firstSeq: number; count: number }>;
};

/**
 * A `SessionStore` in memory, for unit tests and tools. Each append runs synchronously after
 * validation, so concurrent callers in one process are serialised by the event loop. `wake` and
 * `leaseOwner` act on the `workQueue` given to the constructor (an `InMemoryWorkQueue` has the
 * `SyncAppendHooks`), within that same synchronous step.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, TEntry>();
  private readonly workQueue: SyncAppendHooks | undefined;

  constructor(options: { workQueue?: SyncAppendHooks } = {}) {
    this.workQueue = options.workQueue;
  }

  async createSession(input: TNewSession): Promise<TSessionRecord> {
    const now = new Date().toISOString();
    const record: TSessionRecord = {
      id: input.id ?? newId("session"),
      teamId: input.teamId,
      agentId: input.agentId,
      agentVersion: input.agentVersion,
      agentSnapshot: structuredClone(input.agentSnapshot),
      environmentId: input.environmentId,
      title: input.title ?? null,
      metadata: { ...(input.metadata ?? {}) },
      vaultIds: [...(input.vaultIds ?? [])],
      resources: structuredClone(input.resources ?? []),
      budget: input.budget ? structuredClone(input.budget) : null,
      ...(input.additionalEnvironments && input.additionalEnvironments.length > 0 ? { additionalEnvironments: structuredClone([...input.additionalEnvironments]) } : {}),
      state: INITIAL_SESSION_STATE,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
    };
    if (this.sessions.has(record.id)) throw new Error(`session ${record.id} already exists`);
    // the database's keys: a repository id is unique everywhere, a position within its session
    const repositories = structuredClone([...(input.repositories ?? [])]);
    const taken = new Set(repositories.length === 0 ? [] : [...this.sessions.values()].flatMap((e) => e.repositories.map((r) => r.id)));
    const positions = new Set<number>();
    for (const repository of repositories) {
      if (taken.has(repository.id) || positions.has(repository.position)) {
        throw new Error(`session ${record.id}: repository ${repository.id} at position ${repository.position} already exists`);
      }
      taken.add(repository.id);
      positions.add(repository.position);
    }
    this.sessions.set(record.id, { record, repositories, events: [], appends: new Map() });
    return structuredClone(record);
  }

  async getSession(sessionId: string): Promise<TSessionRecord | null> {
    const entry = this.sessions.get(sessionId);
    return entry ? structuredClone(entry.record) : null;
  }

  async appendEvents(sessionId: string, events: readonly unknown[], options: TAppendOptions = {}): Promise<TAppendResult> {
    const bodies = validateAppend(events, options);
    if ((options.wake || options.leaseOwner !== undefined) && !this.workQueue) {
      throw hooksMissing("InMemorySessionStore");
    }
    const entry = this.sessions.get(sessionId);
    if (!entry) throw sessionNotFound(sessionId);
    const record = entry.record;
    const refusal = options.ifOpen ? refusalOf({ teamId: record.teamId, archived: record.archivedAt !== null, status: record.state.status }, options.ifOpen) : null;
    if (refusal) throw new AppendRefusedError(sessionId, refusal);
    if (options.leaseOwner !== undefined && !this.workQueue!.holdsLeaseSync(sessionId, options.leaseOwner)) {
      throw new LeaseLostError(sessionId, options.leaseOwner);
    }

    const key = options.idempotencyKey;
    const prior = key === undefined ? undefined : entry.appends.get(key);
    if (prior) {
      const earlier = entry.events.slice(prior.firstSeq - 1, prior.firstSeq - 1 + prior.count);
      return { events: structuredClone(earlier), state: entry.record.state, duplicate: true };
    }
    if (options.ifLastSeq !== undefined && record.state.lastSeq !== options.ifLastSeq) {
      throw new LogMovedError(sessionId, options.ifLastSeq, record.state.lastSeq);
    }

    const now = new Date().toISOString();
    const firstSeq = entry.record.state.lastSeq + 1;
    const stored: TStoredEvent[] = bodies.map((body, i) => ({
      id: newId("event"),
      sessionId,
      seq: firstSeq + i,
      processedAt: now,
      createdAt: now,
      body: structuredClone(body),
      ...(options.actor ? { actor: structuredClone(options.actor) } : {}),
    }));
    const state = foldSessionState(entry.record.state, stored);
    entry.events.push(...stored);
    entry.record = { ...entry.record, ...structuredClone(options.sessionPatch ?? {}), state, updatedAt: now };
    if (key !== undefined) entry.appends.set(key, { firstSeq, count: stored.length });
    if (options.wake) this.workQueue!.enqueueSync(sessionId);
    const readAfter = options.readAfter;
    const read = readAfter !== undefined && readAfter < firstSeq ? structuredClone(entry.events.slice(readAfter)) : undefined;
    return { events: structuredClone(stored), state, duplicate: false, ...(read ? { read } : {}) };
  }

  async getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]> {
    const q = normalizeEventQuery(query);
    const entry = this.sessions.get(sessionId);
    if (!entry) throw sessionNotFound(sessionId);
    const inRange = entry.events.filter(
      (e) =>
        e.seq > q.afterSeq &&
        (q.beforeSeq === null || e.seq < q.beforeSeq) &&
        (q.types === null || q.types.includes(e.body.type)) &&
        (q.ids === null || q.ids.includes(e.id)),
    );
    const ordered = q.order === "asc" ? inRange : inRange.reverse();
    return structuredClone(ordered.slice(0, q.limit));
  }
}
