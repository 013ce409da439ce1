import "server-only";
import { AppError } from "@/lib/errors";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { LogMovedError, type SessionStore } from "@/lib/event-log/session-store";
import { closingTail } from "./closing-tail";
import { withMemoryPrompt } from "./memory-mounts";
import { withSkillsPrompt } from "./skills-prompt";
import { withToolNetwork } from "./tool-network";
import { parseAgentConfig } from "./agent-config";
import { openSessionMcp } from "./open-session-mcp";
import { callModel } from "./call-model";
import { evaluateOutcome } from "./evaluate-outcome";
import { consultAdvisor } from "./consult-advisor";
import { budgetOf, budgetReached, foldBudget } from "@/lib/event-log/usage";
import { compactAtTokens } from "@/lib/model/context-window";
import { compactContext } from "./compact-context";
import { planNextStep } from "./plan-next-step";
import { readLog } from "./read-log";
import { runMcpTool } from "./run-mcp-tool";
import { resolveInterruptedTool, runTool } from "./run-tool";
import { wakeThreads } from "./wake-threads";
import type { TSessionHand } from "./session-hands";
import { LOG_PAGE, sessionHandsOnce, WakeStoppedError, type THarnessDeps, type TWakeContext, type TWakeOptions, type TWakeResult } from "./wake-context";

export type { TWakeOptions, TWakeResult } from "./wake-context";

/**
 * Drives a session until it has nothing left to do: reads the log, asks the planner for the next
 * step, performs it, appends what happened, and reads the log again (picking up what others
 * appended meanwhile: queued messages, confirmations, interrupts). Holds nothing that is not in
 * the log, so any harness can call `wake` for any session at any time; the lease ensures only one
 * does at once.
 */
export async function wake(sessionId: string, deps: THarnessDeps, options: TWakeOptions = {}): Promise<TWakeResult> {
  const events: TStoredEvent[] = [];
  // Decision: the session's record and the first read of its log do not depend on each other, so
  // both are asked for at once: one database round trip before the first step instead of two (on
  // the path from a message to the model's first token). The read's failure, if any, is thrown
  // where it is awaited (the first step), or dropped when the session turns out not to exist. With
  // eager provisioning the log is read after the sandbox is up, as before: provisioning may take
  // seconds, and the first step must see what was appended meanwhile. With the claim's snapshot
  // there is neither to read, unless the log is longer than the snapshot's page.
  const snapshot = options.snapshot?.session.id === sessionId ? options.snapshot : undefined;
  if (snapshot) events.push(...snapshot.events);
  /** Whether `events` holds the whole log as of the last read or append, so the next step need not read it. */
  // (the claim's own page is what came after `afterSeq`: when it was not full it reached the log's end)
  let current = snapshot !== undefined && snapshot.events.length - (snapshot.afterSeq ?? 0) < LOG_PAGE && !deps.provisionEagerly;
  const firstRead = deps.provisionEagerly || current ? undefined : readNewEvents(deps.store, sessionId, events);
  firstRead?.catch(() => {});
  const session = snapshot?.session ?? (await deps.store.getSession(sessionId));
  if (!session) throw new AppError("not_found", `session ${sessionId} not found`);
  const signal = options.signal ?? new AbortController().signal;
  const stopping = options.stopping ?? new AbortController().signal;
  // the session's memory stores are told to the model in the system prompt (every thread's)
  // and its agent's skills too (the main thread's; their files are in the sandbox, provision-context.ts)
  // and its environment's network is what its bash tool describes (tool-network.ts)
  const [skills, environment] = await Promise.all([
    deps.skills ? deps.skills({ teamId: session.teamId, agentSnapshot: session.agentSnapshot }) : [],
    environmentOf(session.environmentId, deps, options),
  ]);
  const syncedByWorker = environment?.type === "self_hosted";
  const agent = withToolNetwork(withSkillsPrompt(withMemoryPrompt(parseAgentConfig(session.agentSnapshot), session.resources, { syncedByWorker }), skills), environment);
  // a coordinator's session runs each of its threads as a loop of its own (wake-threads.ts)
  if (agent.roster) return wakeThreads(session, agent, deps, { ...options, snapshot }, environment);
  const ctx: TWakeContext = {
    sessionId,
    deps,
    agent,
    // MCP connections live for this wake only, opened on first use
    mcp: openSessionMcp(deps, session, agent),
    events,
    signal,
    stopping,
    hands: sessionHandsOnce(deps, sessionId),
    async append(bodies: TEventBody[], appendOptions: { endsStep?: boolean; mayEndTurn?: boolean } = {}) {
      if (!appendOptions.endsStep) {
        const { events: appended } = await deps.store.appendEvents(sessionId, bodies, { leaseOwner: options.leaseOwner });
        current = false;
        // this wake's own events since its last read, while nothing else is known to be between them
        const tip = (own?.at(-1) ?? events.at(-1))?.seq ?? 0;
        own = own && appended[0]?.seq === tip + 1 ? [...own, ...appended] : null;
        return appended;
      }
      // Decision: the append that ends a step also returns the log from what this wake has read up
      // to its own events (`readAfter`), so the next step starts without reading it again: one round
      // trip fewer per step. What others append after it is seen at the next step's append, or, if
      // the planner waits, by the wake the queue starts for it (their append woke the session).
      // Only an append after which its step returns at once may say so (`endsStep`): a step that
      // ends on something else (an interrupt seen by polling) must leave the read to the next step.
      // An append that raced with another of this wake's (`events` moved on meanwhile), or that the
      // store could not read back whole, leaves the read to the next step too.
      const known = events.at(-1)?.seq ?? 0;
      const write = async (batch: TEventBody[], ifLastSeq?: number) => {
        const { events: appended, read } = await deps.store.appendEvents(sessionId, batch, { leaseOwner: options.leaseOwner, readAfter: known, ifLastSeq });
        current = read !== undefined && (events.at(-1)?.seq ?? 0) === known;
        if (current) events.push(...read!);
        return appended;
      };
      // the turn's closing idle goes with it when nothing else comes first (closing-tail.ts)
      const upTo = appendOptions.mayEndTurn && own ? [...events, ...own] : null;
      const tail = upTo ? closingTail(upTo, bodies, planFrom) : [];
      if (upTo && tail.length > 0) {
        try {
          return await write([...bodies, ...tail], upTo.at(-1)?.seq ?? 0);
        } catch (error) {
          if (!(error instanceof LogMovedError)) throw error;
        }
      }
      return write(bodies);
    },
  };
  /** What the planner decides on `log` (contiguous from seq 1), with the budget and hands in force. */
  const planFrom = (log: readonly TStoredEvent[], view = readLog(log)) =>
    planNextStep(view, {
      // the budget in force: the one the session was created with, as the log's updates left it
      budgetReached: budgetReached(view.state.usage, foldBudget(budgetOf(session.budget), log)),
      hands,
      compactAtTokens: compactAtTokens(ctx.agent.model),
    });
  /** This wake's own appends since it last read the log, when nothing else is known to be among them; null when something may be. */
  let own: TStoredEvent[] | null = [];

  if (deps.provisionEagerly) await deps.sandboxes.get(sessionId).catch(() => undefined);

  let hands: readonly TSessionHand[] | undefined;
  try {
    for (let steps = 0; ; steps++) {
      // Never a plain return here: the caller must not take an unfinished session for a done one.
      if (signal.aborted) throw signal.reason ?? new WakeStoppedError(sessionId);
      if (stopping.aborted) throw new WakeStoppedError(sessionId);
      if (!current) await (steps === 0 && firstRead ? firstRead : readNewEvents(deps.store, sessionId, events));
      current = false;
      own = [];
      const log = readLog(events);
      // Where the session's built-in tools run (its environments, self-hosted or not) is asked only
      // once such a call waits: a session without one costs nothing.
      if (hands === undefined && log.lastResponseToolUses.some((use) => use.kind === "builtin" && !use.resolved)) {
        hands = (await ctx.hands()) ?? undefined;
      }
      const step = planFrom(events, log);
      switch (step.type) {
        case "wait":
          // Every wake that ends waiting for workers makes sure one is asked for (idempotent), so a
          // harness that died between the idle and the request leaves nothing stuck.
          for (const environmentId of step.requestsWorkers ?? []) await deps.hands?.request(sessionId, environmentId);
          return { steps, events };
        case "append":
          await ctx.append(step.events, { endsStep: true });
          break;
        case "call_model":
          await callModel(ctx, step.before);
          break;
        case "run_tool":
          await runTool(ctx, step.toolUse);
          break;
        case "report_interrupted_tool":
          await resolveInterruptedTool(ctx, step.toolUse);
          break;
        case "run_mcp_tool":
          await runMcpTool(ctx, step.toolUse);
          break;
        case "evaluate_outcome":
          await evaluateOutcome(ctx, step.outcome, step.evaluation);
          break;
        case "compact_context":
          await compactContext(ctx, step.before);
          break;
        case "consult_advisor":
          await consultAdvisor(ctx, step.toolUse);
          break;
        case "run_thread_tool":
          // only a coordinator has these tools, and its session is woken by wakeThreads
          await ctx.append([{ type: "agent.tool_result", tool_use_id: step.toolUse.event.id, is_error: true, content: [{ type: "text", text: "This agent has no thread tools." }] }], { endsStep: true });
          break;
      }
    }
  } finally {
    await ctx.mcp?.close();
  }
}

/**
 * The session's environment config: the claim's reading when it has one for this environment (read
 * in the claim's statement, one round trip fewer before the first model call), else read now.
 * Either way it is read at each wake, so an edited environment applies to the next.
 */
async function environmentOf(environmentId: string, deps: THarnessDeps, options: TWakeOptions) {
  if (!deps.environments) return null;
  if (options.environment?.id === environmentId) return options.environment.config;
  return deps.environments(environmentId);
}

/** Extends `events` (contiguous from seq 1) with everything appended after its last event. */
async function readNewEvents(store: SessionStore, sessionId: string, events: TStoredEvent[]): Promise<void> {
  for (;;) {
    const page = await store.getEvents(sessionId, { afterSeq: events.at(-1)?.seq ?? 0, limit: LOG_PAGE });
    events.push(...page);
    if (page.length < LOG_PAGE) return;
  }
}
