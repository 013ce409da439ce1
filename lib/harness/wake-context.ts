import "server-only";
import type { TSessionFiles } from "./file-resources";
import type { TLoadSessionSkills } from "./skills-prompt";
import type { Logger } from "@/lib/log";
import type { ModelClient } from "@/lib/model/types";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { TEventBody, TEventOf, TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { TAgentConfig } from "./agent-config";
import type { TModelRetry } from "./model-retry";
import type { SandboxPool } from "./sandbox-pool";
import type { TSessionHand, TSessionHands } from "./session-hands";
import type { TLoadEnvironmentConfig } from "./tool-network";
import type { TClaimedEnvironment, TClaimSnapshot } from "./work-queue";
import type { SessionMemory } from "./session-memory";
import type { TLoadAttachments } from "./session-attachments";
import type { TSessionOutputs } from "./session-outputs";
import type { SessionMcpClients } from "@/lib/mcp/session-mcp-clients";
import type { TMcpDeps } from "@/lib/mcp/types";

/** What a harness needs from the world: all of it injected, nothing global. */
export type THarnessDeps = {
  store: SessionStore;
  model: ModelClient;
  sandboxes: SandboxPool;
  bus?: EventBus;
  log?: Logger;
  /** How often the log is checked for an interrupt appended by another process (ms). */
  interruptPollMs?: number;
  /** Retries of a model call that failed with a retryable error. */
  modelRetry?: TModelRetry;
  /** Longest a tool call may take before the sandbox is considered hung (ms). */
  toolTimeoutMs?: number;
  /**
   * Provision the sandbox before the first model call instead of on the first tool call. Off by
   * default: lazy provisioning lets the model start at once. Exists to measure the difference
   * (`npm run bench:harness`).
   */
  provisionEagerly?: boolean;
  /** How MCP servers are reached (connector, vault tokens). Without it, agents' MCP servers are not offered. */
  mcp?: TMcpDeps;
  /**
   * Which sessions' built-in tools run on their self-hosted environment's workers, and how to ask
   * for one (the work queue, lib/environments/work). Without it, the platform's sandboxes run them all.
   */
  hands?: TSessionHands;
  /**
   * The memory stores' memories, mounted into a session's sandbox around each tool call and saved
   * back as the session (lib/memory-stores). Without it, memory mounts stay empty and nothing is saved.
   */
  memory?: SessionMemory;
  /**
   * A session's environment config, read at each wake: the bash tool tells the model the network it
   * allows (tool-network.ts). Without it, bash says there is no network.
   */
  environments?: TLoadEnvironmentConfig;
  /** The skills of a session's agent (lib/skills), told of in the system prompt. Without it, agents' skills are not offered. */
  skills?: TLoadSessionSkills;
  /**
   * The sessions' file resources and their bytes (lib/files), copied into the sandbox before each
   * tool call (file-resources.ts). Without it, file resources are not copied.
   */
  files?: TSessionFiles;
  /**
   * The sessions' memory stores and repositories as they are now, read before each tool call so
   * that those added to a running session appear in its sandbox (session-attachments.ts). Without
   * it, a sandbox keeps what it was provisioned with.
   */
  attachments?: TLoadAttachments;
  /**
   * Where what the agent leaves in /workspace/outputs/ is kept as the session's files (lib/files),
   * after each tool call that may write (session-outputs.ts). Without it, outputs stay in the sandbox.
   */
  outputs?: TSessionOutputs;
  /**
   * Runs each step of a coordinator's child thread (wake-threads.ts), told which thread it is for:
   * lib/telemetry makes a thread's work a span of its own this way. Absent: each step just runs.
   */
  threadStep?: TThreadStep;
};

/** A child thread a step is taken for: its id and the roster agent it runs. */
export type TThreadOfStep = { id: string; agent: { id: string; version: number; name: string } };
export type TThreadStep = <T>(sessionId: string, thread: TThreadOfStep, step: () => Promise<T>) => Promise<T>;

export const DEFAULT_MODEL_RETRY: TModelRetry = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };
export const DEFAULT_INTERRUPT_POLL_MS = 500;
export const DEFAULT_TOOL_TIMEOUT_MS = 10 * 60_000;

/** One wake of one session: the events read so far and how to append more. */
export type TWakeContext = {
  sessionId: string;
  deps: THarnessDeps;
  agent: TAgentConfig;
  /** The log as read so far, in seq order, contiguous from 1. */
  events: TStoredEvent[];
  /**
   * The last seq of the log the running step was planned from, when `events` is not that log (a
   * thread's view ends at its own last event): where a call's watch for an interrupt starts.
   * Absent: the last seq of `events`.
   */
  plannedAt?: number;
  /**
   * Appends (fenced by the lease when a worker drives this wake). `endsStep`: the step returns right
   * after this append, so the wake may take the log as the append read it back instead of reading
   * it before the next step (see `wake`). `mayEndTurn` (the model's answer): the wake may append
   * the turn's closing idle with it, when the planner would (closing-tail.ts); the events returned
   * then include it.
   */
  append(bodies: TEventBody[], options?: { endsStep?: boolean; mayEndTurn?: boolean }): Promise<TStoredEvent[]>;
  /** Aborted when the wake must stop at once (lease lost, shutdown's grace over). */
  signal: AbortSignal;
  /** Aborted when the worker is stopping: no new step, tool calls in flight abandoned (see `wake`). */
  stopping: AbortSignal;
  /** The session's environments (session-hands.ts), asked once per wake; null without `deps.hands`. */
  hands(): Promise<readonly TSessionHand[] | null>;
  /** The session's MCP connections for this wake (opened on first use); absent when it has none. */
  mcp?: SessionMcpClients;
  /**
   * Which `user.interrupt` stops this context's model and tool calls: in a coordinator's session,
   * one naming no thread or this one (wake-threads.ts); every interrupt when absent.
   */
  interrupts?: (interrupt: TEventOf<"user.interrupt">) => boolean;
};

/** Where the running step's plan read the log up to (`TWakeContext.plannedAt`). */
export function plannedAtSeq(ctx: TWakeContext): number {
  return ctx.plannedAt ?? ctx.events.at(-1)?.seq ?? 0;
}

/** `TWakeContext.hands` for a wake: asked of `deps.hands` on first use only, shared by the wake's contexts. */
export function sessionHandsOnce(deps: THarnessDeps, sessionId: string): () => Promise<readonly TSessionHand[] | null> {
  let asked: Promise<readonly TSessionHand[] | null> | undefined;
  return () => {
    if (!deps.hands) return Promise.resolve(null);
    asked ??= deps.hands.environments(sessionId);
    asked.catch(() => (asked = undefined)); // a failed read is asked again
    return asked;
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * A wake that stopped before the session's work was done because its worker is stopping. The
 * session is not finished: the worker hands its lease back so another one continues it.
 */
export class WakeStoppedError extends Error {
  constructor(readonly sessionId: string) {
    super(`the wake of session ${sessionId} stopped before its work was done: the worker is stopping`);
    this.name = "WakeStoppedError";
  }
}

/** Events per read of the log: `wake` reads it in pages of this size, a claim's snapshot holds one. */
export const LOG_PAGE = 5_000;

export type TWakeOptions = {
  /** The worker holding the session's lease: every append is fenced by it. */
  leaseOwner?: string;
  /**
   * Aborts the wake at once (lease lost, shutdown's grace over): a model call in flight is cut,
   * nothing of it stored. The wake rejects with the signal's reason; the log is left consistent
   * and a successor resumes from it.
   */
  signal?: AbortSignal;
  /**
   * Asks the wake to stop (the worker is shutting down): it starts no new step, abandons a tool
   * call in flight (its sandbox is destroyed, its result left for a successor to resolve as after a
   * crash), lets a model call in flight finish, and then rejects with `WakeStoppedError`.
   */
  stopping?: AbortSignal;
  /**
   * The session's record and its log from the start, as the claim that started this wake left them
   * (`TClaim.snapshot`, completed with what the worker kept before its `afterSeq`): the wake reads
   * neither again. The claim read one page after `afterSeq`; when that page was full the wake goes on
   * reading the log after it.
   */
  snapshot?: TClaimSnapshot;
  /**
   * The session's environment config, read by the same claim (`TClaim.environment`): used when it
   * is the environment of the session the wake runs, instead of `deps.environments`.
   */
  environment?: TClaimedEnvironment;
};

/**
 * `events`: the log as the wake last read it, contiguous from seq 1 (what a worker keeps for the
 * session's next claim, log-cache.ts).
 */
export type TWakeResult = { steps: number; events?: readonly TStoredEvent[] };
