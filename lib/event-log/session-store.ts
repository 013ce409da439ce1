import { z } from "zod";
import { AppError, formatIssuePath } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseEventBodies, ZEventActorSchema, type TEventActor, type TEventBody, type TEventType, type TStoredEvent } from "./events";
import type { TSessionState } from "./fold";

/**
 * The session log's storage interface. Implementations: `PrismaSessionStore` (PGlite or PostgreSQL)
 * and `InMemorySessionStore` (unit tests). `tests/contracts/session-store.contract.ts` runs the
 * same suite against each.
 */
export interface SessionStore {
  /**
   * Creates the session row and, in the same write, its `repositories` rows: both commit or
   * neither, so no session exists without the sealed tokens it was created with.
   */
  createSession(input: TNewSession): Promise<TSessionRecord>;
  getSession(sessionId: string): Promise<TSessionRecord | null>;
  /**
   * Appends events atomically: all or none, with contiguous seq numbers after the current last one,
   * and the session's folded state updated in the same transaction. Retrying with the same
   * `idempotencyKey` returns the events of the first append and writes nothing.
   */
  appendEvents(sessionId: string, events: readonly unknown[], options?: TAppendOptions): Promise<TAppendResult>;
  /** A positional slice of the log; see `TEventQuery`. */
  getEvents(sessionId: string, query?: TEventQuery): Promise<TStoredEvent[]>;
}

export type TNewSession = {
  id?: string;
  teamId: string;
  agentId: string;
  agentVersion: number;
  agentSnapshot: Record<string, unknown>;
  environmentId: string;
  title?: string | null;
  metadata?: Record<string, string>;
  vaultIds?: string[];
  resources?: unknown[];
  budget?: Record<string, unknown> | null;
  /** Environments beyond the primary (`environmentId`), in order: the platform's several hands per session. */
  additionalEnvironments?: readonly TAdditionalEnvironment[];
  /** The github_repository checkouts of the session, tokens already sealed (see lib/sessions/session-repositories.ts). */
  repositories?: readonly TNewSessionRepository[];
  /** Who starts it: a member's user id or an API key's id (`Session.createdBy`); null when unknown. */
  createdBy?: string | null;
};

/**
 * A repository row written with its session. The log store keeps it opaque: it checks only that
 * ids and positions are unique (as the database's keys do) and never opens the token.
 */
export type TNewSessionRepository = {
  id: string;
  position: number;
  url: string;
  mountPath: string;
  checkout: { type: "branch"; name: string } | { type: "commit"; sha: string } | null;
  tokenCiphertext: Uint8Array<ArrayBuffer> | null;
  tokenIv: Uint8Array<ArrayBuffer> | null;
  tokenTag: Uint8Array<ArrayBuffer> | null;
  keyId: string | null;
};

export type TSessionRecord = {
  id: string;
  teamId: string;
  agentId: string;
  agentVersion: number;
  agentSnapshot: Record<string, unknown>;
  environmentId: string;
  title: string | null;
  metadata: Record<string, string>;
  vaultIds: string[];
  resources: unknown[];
  budget: Record<string, unknown> | null;
  /** Environments beyond the primary, in order; absent or empty for a session of one environment. */
  additionalEnvironments?: TAdditionalEnvironment[];
  state: TSessionState;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
};

/**
 * A session's environment beside its primary (the platform's extension `additional_environments`):
 * the environment's id and the name the session gives it, which an agent's tool config may name.
 */
export type TAdditionalEnvironment = { environment_id: string; name: string | null };

/** A session's record and the first events of its log, read together (see `TClaim.snapshot`). */
export type TSessionSnapshot = { session: TSessionRecord; events: TStoredEvent[] };

export type TAppendOptions = {
  idempotencyKey?: string;
  /**
   * Queues the session for a harness (`WorkQueue`) in the same transaction as the append, so the
   * signal is never lost and never sent for an append that did not happen. A repeated idempotent
   * append does not queue it again.
   */
  wake?: boolean;
  /**
   * The fence of a harness: the append is refused with `LeaseLostError`, and nothing written,
   * unless this worker holds a live lease on the session when the append takes the session's lock.
   */
  leaseOwner?: string;
  /**
   * Fields of the session record that change together with these events (e.g. the title that a
   * `session.updated` event announces), written in the same transaction.
   */
  sessionPatch?: TSessionPatch;
  /**
   * Appends only to a session of this team that is neither archived nor terminated, as it is when
   * the append holds the session's lock: otherwise throws `AppendRefusedError` and writes nothing.
   * Lets a client's send check the session and append in one step instead of a read, then a write.
   */
  ifOpen?: { teamId: string };
  /**
   * The seq up to which the caller has read the log: the append then also returns the events after
   * it, up to and including its own, as `getEvents` would (`TAppendResult.read`), so that the
   * caller (the harness, between its steps) need not read the log again.
   */
  readAfter?: number;
  /**
   * Appends only when the log's last seq is this one, as it is when the append holds the session's
   * lock: otherwise throws `LogMovedError` and writes nothing. Lets a writer that has read the log
   * up to a seq append what follows from that log only if nothing came in between (the harness
   * closing a turn with its answer, plan-next-step.ts).
   */
  ifLastSeq?: number;
  /**
   * Who sent these events (a client's send: a member or an API key), stored with each of them in
   * the same write and read back as `TStoredEvent.actor`. A repeated idempotent append returns the
   * events as first written, with their first actor.
   */
  actor?: TEventActor;
};

/** An append refused by `{ ifOpen }`: nothing was written. `reason` is the first that applies. */
export class AppendRefusedError extends Error {
  constructor(
    readonly sessionId: string,
    readonly reason: "other_team" | "archived" | "terminated",
  ) {
    super(`append to session ${sessionId} refused: ${reason.replace("_", " ")}`);
    this.name = "AppendRefusedError";
  }
}

/** An append refused by `{ ifLastSeq }`: the log had moved on to `lastSeq`; nothing was written. */
export class LogMovedError extends Error {
  constructor(
    readonly sessionId: string,
    readonly expected: number,
    readonly lastSeq: number,
  ) {
    super(`append to session ${sessionId} refused: its log is at seq ${lastSeq}, not ${expected}`);
    this.name = "LogMovedError";
  }
}

/** Why `{ ifOpen }` refuses an append to `session`, or null when it may go ahead. */
export function refusalOf(session: { teamId: string; archived: boolean; status: string }, ifOpen: { teamId: string }): AppendRefusedError["reason"] | null {
  if (session.teamId !== ifOpen.teamId) return "other_team";
  if (session.archived) return "archived";
  if (session.status === "terminated") return "terminated";
  return null;
}

/**
 * What an append asks of the work queue, as SQL that `PrismaSessionStore` runs inside the append's
 * one statement, after that statement has locked the session's row (so locks are always taken
 * session row first, then work row): the fence of `{ leaseOwner }` and the signal of
 * `{ wake: true }`. The log knows nothing of the queue above it; the harness's queue hands these in
 * (`workQueueAppendHooks` in lib/harness/prisma-work-queue.ts) when a store is built for a harness
 * or an API server. Each is given `sessions`, the relation of the session rows the append works on
 * (column `"id"`), to read from.
 */
export interface TransactionalAppendHooks {
  /**
   * A query yielding a row while `workerId` holds a live lease on the session of `sessions` (the
   * locked session row), and holding that lease (a row lock) until the append's transaction ends,
   * so that no claim takes the session over before the append commits.
   */
  leaseFenceSql(sessions: Prisma.Sql, workerId: string): Prisma.Sql;
  /**
   * A data-modifying query (`INSERT … RETURNING`) queueing each session of `sessions` for a
   * harness: in the append's transaction, so never lost, and never for an append that did not
   * commit (`sessions` is empty when the append writes nothing).
   */
  enqueueSql(sessions: Prisma.Sql): Prisma.Sql;
  /**
   * Asked before an append with `{ wake: true }`: whether a harness in this process would take the
   * session at once (`TWakeClaimOffer`). Absent, or null: the append only queues the session, and a
   * harness claims it afterwards, one statement later.
   */
  claimOnWake?(sessionId: string): TWakeClaimOffer | null;
}

/**
 * A harness in this process offering to take a session in the very append that wakes it, saving
 * the claim's round trip between a message and the model's first token (lib/harness's
 * claim-on-wake.ts). The append queues the session with `enqueueSql`, which also takes the lease
 * when none is live, reads the log after `knownSeq` up to its own events (as `readAfter` would), and
 * once committed hands what it read to `take`. `withdraw` is called instead when the append wrote
 * nothing or failed. Exactly one of the two is called for each offer.
 */
export type TWakeClaimOffer = {
  enqueueSql(sessions: Prisma.Sql): Prisma.Sql;
  /** The seq up to which the harness holds the session's log (0: none of it). */
  knownSeq: number;
  /**
   * The most events before the append's own that the append reads for the harness: a longer gap is
   * not read (`events` is then undefined and the harness reads the log itself, as after a claim).
   */
  maxRead: number;
  /**
   * `woken`: the row `enqueueSql` returned; `session`: the record as the append left it; `events`:
   * the log after `knownSeq` through the append's events, or undefined when the append could not
   * read all of it. True when the harness took the session (then nobody need be told of the work).
   */
  take(appended: { woken: unknown; session: TSessionRecord; events: TStoredEvent[] | undefined }): boolean;
  withdraw(): void;
};

/**
 * What leaves the platform because of an append, recorded in the append's own statement so that it
 * is written exactly when the events are (the webhook outbox, lib/webhooks, hands this in through
 * the composition root). The log knows nothing of webhooks: it asks for SQL for each batch.
 */
export interface TransactionalAppendOutbox {
  /**
   * A data-modifying query recording what `events` announce, reading `appended` (the session row
   * appended to, columns `"id"` and `"teamId"`; empty when the append writes nothing), or null when
   * none of the events concerns it: then the append runs no extra SQL.
   */
  outboxSql(appended: Prisma.Sql, events: ReadonlyArray<{ id: string; body: TEventBody }>, now: string): Prisma.Sql | null;
  /**
   * A data-modifying query recording that the session `created` (columns `"id"` and `"teamId"`)
   * begins, run in the transaction that writes its row: a session is announced exactly when it
   * exists. Null: nothing to record.
   */
  createdSql(created: Prisma.Sql, now: string): Prisma.Sql | null;
}

/**
 * The same two, synchronous, for the in-memory store (an `InMemoryWorkQueue` is one): each
 * in-memory append runs in one synchronous step, so fence, write and signal cannot interleave.
 */
export interface SyncAppendHooks {
  holdsLeaseSync(sessionId: string, workerId: string): boolean;
  enqueueSync(sessionId: string): void;
}

/** The error a store without hooks gives for `{ wake }` or `{ leaseOwner }`: a wiring mistake, not bad input. */
export function hooksMissing(store: string): Error {
  return new Error(`${store}: \`wake\` and \`leaseOwner\` need the work queue's append hooks (the \`workQueue\` constructor option)`);
}

export type TSessionPatch = { title?: string | null; metadata?: Record<string, string>; budget?: Record<string, unknown> | null };

export type TAppendResult = {
  events: TStoredEvent[];
  /** The session's state after the append (or, for a repeated idempotent append, as it is now). */
  state: TSessionState;
  /** True when the idempotency key had been used: nothing was written. */
  duplicate: boolean;
  /**
   * With `{ readAfter }`: the log after that seq up to this append's last event, as `getEvents`
   * returns it; absent when the store could not read all of it with the append (or for a
   * duplicate): the caller reads the log instead.
   */
  read?: TStoredEvent[];
  /**
   * True when a harness in this process took the session in the append itself
   * (`TransactionalAppendHooks.claimOnWake`): it is already being driven, no worker need be told.
   */
  claimed?: boolean;
};

/**
 * `asc` (default): the first `limit` events with afterSeq < seq < beforeSeq, oldest first.
 * `desc`: the last `limit` events in that range, newest first. `types` keeps only those types;
 * `ids` only the events with those ids (a targeted read: at most as many events as ids).
 */
export type TEventQuery = {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
  types?: readonly TEventType[];
  ids?: readonly string[];
  order?: "asc" | "desc";
};

export const DEFAULT_EVENT_LIMIT = 1000;
export const MAX_EVENT_LIMIT = 10_000;
export const MAX_EVENTS_PER_APPEND = 1000;

const ZEventQuerySchema = z.strictObject({
  afterSeq: z.number().int().nonnegative().optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(MAX_EVENT_LIMIT).optional(),
  types: z.array(z.string().min(1)).max(100).optional(),
  ids: z.array(z.string().min(1).max(255)).max(MAX_EVENT_LIMIT).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

export type TNormalizedEventQuery = {
  afterSeq: number;
  beforeSeq: number | null;
  limit: number;
  types: readonly string[] | null;
  ids: readonly string[] | null;
  order: "asc" | "desc";
};

export function normalizeEventQuery(query: TEventQuery = {}): TNormalizedEventQuery {
  const parsed = ZEventQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("invalid_request", `${formatIssuePath(issue.path, "query")}: ${issue.message}`);
  }
  const q = parsed.data;
  return {
    afterSeq: q.afterSeq ?? 0,
    beforeSeq: q.beforeSeq ?? null,
    limit: q.limit ?? DEFAULT_EVENT_LIMIT,
    types: q.types && q.types.length > 0 ? q.types : null,
    ids: q.ids ?? null,
    order: q.order ?? "asc",
  };
}

const ZIdempotencyKeySchema = z.string().min(1).max(255);
const ZLeaseOwnerSchema = z.string().min(1).max(255);

/**
 * Validates an append before anything is written: the batch size, the idempotency key, each event
 * against the vocabulary, and every string for what PostgreSQL's jsonb cannot hold (U+0000 and
 * unpaired surrogates), so both stores accept and refuse exactly the same input.
 */
export function validateAppend(events: readonly unknown[], options: TAppendOptions = {}): TEventBody[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw new AppError("invalid_request", "events: at least one event is required");
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new AppError("invalid_request", `events: at most ${MAX_EVENTS_PER_APPEND} events per append (got ${events.length})`);
  }
  if (options.idempotencyKey !== undefined && !ZIdempotencyKeySchema.safeParse(options.idempotencyKey).success) {
    throw new AppError("invalid_request", "idempotencyKey: must be a string of 1 to 255 characters");
  }
  if (options.readAfter !== undefined && !(Number.isSafeInteger(options.readAfter) && options.readAfter >= 0)) {
    throw new AppError("invalid_request", "readAfter: must be a non-negative integer");
  }
  if (options.ifLastSeq !== undefined && !(Number.isSafeInteger(options.ifLastSeq) && options.ifLastSeq >= 0)) {
    throw new AppError("invalid_request", "ifLastSeq: must be a non-negative integer");
  }
  if (options.leaseOwner !== undefined && !ZLeaseOwnerSchema.safeParse(options.leaseOwner).success) {
    throw new AppError("invalid_request", "leaseOwner: must be a string of 1 to 255 characters");
  }
  if (options.actor !== undefined && !ZEventActorSchema.safeParse(options.actor).success) {
    throw new AppError("invalid_request", "actor: must be { kind: \"member\", userId } or { kind: \"api_key\", keyId }");
  }
  const bodies = parseEventBodies(events);
  bodies.forEach((body, index) => assertStorableStrings(body, [index]));
  return bodies;
}

function assertStorableStrings(value: unknown, path: PropertyKey[]): void {
  if (typeof value === "string") {
    if (value.includes("\u0000") || !value.isWellFormed()) {
      throw new AppError(
        "invalid_request",
        `${formatIssuePath(path, "events")}: text must be valid Unicode without NUL (U+0000) characters`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertStorableStrings(item, [...path, i]));
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      assertStorableStrings(key, path);
      assertStorableStrings(item, [...path, key]);
    }
  }
}

export function sessionNotFound(sessionId: string): AppError {
  return new AppError("not_found", `session ${sessionId} not found`);
}
