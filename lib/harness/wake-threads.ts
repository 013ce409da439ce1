import "server-only";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import type { TSessionRecord } from "@/lib/event-log/session-store";
import { foldThreads, primaryThreadId, type TThreadState } from "@/lib/event-log/threads";
import { budgetOf, budgetReached, foldBudget } from "@/lib/event-log/usage";
import { newId } from "@/lib/ids";
import type { SessionMcpClients } from "@/lib/mcp/session-mcp-clients";
import { threadAgentConfig, type TAgentConfig } from "./agent-config";
import { withMemoryPrompt } from "./memory-mounts";
import { loadRosterSkills, rosterKey, withSkillsPrompt, type TSessionSkill } from "./skills-prompt";
import { withToolNetwork } from "./tool-network";
import type { TEnvironmentConfig } from "@/lib/sandbox/environment-config";
import { callModel } from "./call-model";
import { replyEvents, threadToolEvents, waitResult } from "./coordinator-tools";
import { planNextStep, type TStep } from "./plan-next-step";
import { evaluateOutcome } from "./evaluate-outcome";
import { consultAdvisor } from "./consult-advisor";
import { compactContext } from "./compact-context";
import { compactAtTokens } from "@/lib/model/context-window";
import { readLog, type TLogView } from "./read-log";
import { runMcpTool } from "./run-mcp-tool";
import { resolveInterruptedTool, runTool } from "./run-tool";
import { threadView, toThreadEvents, withPrimaryThreadStatus } from "./thread-view";
import { openSessionMcp } from "./open-session-mcp";
import type { TSessionHand } from "./session-hands";
import { LOG_PAGE, sessionHandsOnce, WakeStoppedError, type THarnessDeps, type TWakeContext, type TWakeOptions, type TWakeResult } from "./wake-context";

type TThreadPlan = { thread: TThreadState; agent: TAgentConfig; view: TStoredEvent[]; log: TLogView; step: TStep };

/**
 * `wake` for a coordinator's session: every thread of the session is a harness loop of its own,
 * planned by the same pure planner on its own view of the one log (`threadView`), with its own
 * agent config, and the threads run in parallel: at most one step in flight per thread, the log
 * read again and every idle thread planned again whenever a step ends (from a read that began
 * after its step ended). It holds nothing the log
 * does not: the threads, their statuses and their pending calls are folds of it, so a successor
 * that takes the session's lease after a crash resumes every thread where the log left it. One
 * lease covers the session, so no two workers ever run one thread.
 *
 * The coordinator's thread (the primary) is held, as the planner alone would not:
 * - `start_thread` / `send_to_thread` are answered in one append (coordinator-tools.ts);
 * - `wait_for_threads` is answered once the threads it names have nothing left to do;
 * - it does not end its turn (`session.status_idle`, end_turn) while a thread still works: the
 *   session stays running until every thread is done, and the threads' replies reach it first.
 * A child thread that ends its turn sends its last message to the coordinator with its idle.
 */
export async function wakeThreads(
  session: TSessionRecord,
  coordinator: TAgentConfig,
  deps: THarnessDeps,
  options: TWakeOptions,
  /** The session's environment, whose network the threads' bash tools describe (null: none known). */
  environment: TEnvironmentConfig | null = null,
): Promise<TWakeResult> {
  const sessionId = session.id;
  /** The budget the session was created with (the log's updates are folded onto it when planning). */
  const sessionBudget = session.budget;
  const primaryId = primaryThreadId(sessionId);
  const events: TStoredEvent[] = options.snapshot?.session.id === sessionId ? [...options.snapshot.events] : [];
  const signal = options.signal ?? new AbortController().signal;
  const stopping = options.stopping ?? new AbortController().signal;
  const failed = new AbortController();
  const stepSignal = AbortSignal.any([signal, failed.signal]);
  const agents = new Map<string, TAgentConfig>([[primaryId, coordinator]]);
  const mcp = new Map<string, SessionMcpClients | undefined>();
  const inFlight = new Map<string, Promise<void>>();
  const failure: { error?: unknown; failed: boolean } = { failed: false };
  let steps = 0;
  let hands: readonly TSessionHand[] | undefined;
  const handsOnce = sessionHandsOnce(deps, sessionId);
  // each callable agent's skills, for its threads' system prompts (their files are in the sandbox)
  const rosterSkills = deps.skills ? await loadRosterSkills(deps.skills, session.teamId, coordinator.roster ?? []) : new Map<string, TSessionSkill[]>();

  const agentOf = (thread: TThreadState): TAgentConfig | null => {
    if (!agents.has(thread.id)) {
      const inline = thread.agent?.inline;
      const entry = inline
        ? { id: thread.agent!.id, version: thread.agent!.version, name: inline.name, snapshot: inline as Record<string, unknown> }
        : coordinator.roster?.find((a) => a.id === thread.agent?.id && a.version === thread.agent?.version);
      if (!entry) return null;
      const syncedByWorker = environment?.type === "self_hosted";
      const skills = inline ? [] : (rosterSkills.get(rosterKey(entry)) ?? []);
      agents.set(thread.id, withToolNetwork(withSkillsPrompt(withMemoryPrompt(threadAgentConfig(entry), session.resources, { syncedByWorker }), skills), environment));
    }
    return agents.get(thread.id)!;
  };
  const mcpOf = (threadId: string, agent: TAgentConfig) => {
    if (!mcp.has(threadId)) {
      mcp.set(threadId, openSessionMcp(deps, session, agent));
    }
    return mcp.get(threadId);
  };
  const contextOf = (plan: TThreadPlan, plannedAt: number): TWakeContext => {
    const child = plan.thread.id !== primaryId ? { id: plan.thread.id, agentName: plan.agent.name } : null;
    return {
      sessionId,
      deps,
      agent: plan.agent,
      mcp: mcpOf(plan.thread.id, plan.agent),
      events: plan.view,
      // the whole log the plan was made from, not the thread's view: its watch for an interrupt
      // then reads only what came after, not every other thread's events since its own last one
      plannedAt,
      interrupts: (interrupt) => interrupt.session_thread_id == null || interrupt.session_thread_id === plan.thread.id,
      signal: stepSignal,
      stopping,
      hands: handsOnce,
      async append(bodies: TEventBody[]) {
        const written = child ? toThreadEvents(bodies, child) : withPrimaryThreadStatus(bodies, { id: primaryId, agentName: coordinator.name });
        return (await deps.store.appendEvents(sessionId, written, { leaseOwner: options.leaseOwner })).events;
      },
    };
  };

  try {
    for (;;) {
      if (failure.failed) throw failure.error;
      if (signal.aborted) throw signal.reason ?? new WakeStoppedError(sessionId);
      if (stopping.aborted) {
        // no new step; the steps in flight stop on their own (see `wake`'s `stopping`)
        await Promise.allSettled(inFlight.values());
        if (failure.failed) throw failure.error;
        throw new WakeStoppedError(sessionId);
      }
      // Decision: a step that ends while the log is being read may have appended after the read
      // began, so its thread's view would be stale (a call it answered looks unanswered, a thread it
      // started looks unstarted). A thread busy when the read began is planned from the next read.
      const busy = new Set(inFlight.keys());
      await readNewEvents(deps, sessionId, events);
      const plans = planThreads(events);
      const plannedAt = events.at(-1)?.seq ?? 0;
      let started = false;
      let deferred = false;
      for (const plan of plans.values()) {
        if (inFlight.has(plan.thread.id)) continue;
        if (busy.has(plan.thread.id)) {
          deferred = true;
          continue;
        }
        if (plan.step.type === "wait") continue;
        started = true;
        const run = () => perform(contextOf(plan, plannedAt), plan.step);
        const child = plan.thread.id !== primaryId && plan.thread.agent ? { id: plan.thread.id, agent: plan.thread.agent } : null;
        const running = (child && deps.threadStep ? deps.threadStep(sessionId, child, run) : run()).then(
          () => void steps++,
          (error: unknown) => {
            if (!failure.failed) Object.assign(failure, { failed: true, error });
            failed.abort(error);
          },
        );
        inFlight.set(plan.thread.id, running.finally(() => inFlight.delete(plan.thread.id)));
      }
      if (deferred) continue; // read again at once
      if (inFlight.size === 0 && !started) {
        const requested = new Set([...plans.values()].flatMap((p) => (p.step.type === "wait" ? (p.step.requestsWorkers ?? []) : [])));
        for (const environmentId of requested) await deps.hands?.request(sessionId, environmentId);
        return { steps, events };
      }
      await Promise.race(inFlight.values());
    }
  } finally {
    await Promise.allSettled(inFlight.values());
    await Promise.all([...mcp.values()].map((clients) => clients?.close()));
  }

  /** Each thread's next step, the coordinator's adjusted as described above. */
  function planThreads(log: readonly TStoredEvent[]): Map<string, TThreadPlan> {
    const threads = foldThreads(sessionId, log);
    const session = foldSessionState(INITIAL_SESSION_STATE, log);
    const budget = budgetReached(session.usage, foldBudget(budgetOf(sessionBudget), log));
    const plans = new Map<string, TThreadPlan>();
    for (const thread of threads) {
      if (thread.archivedAt) continue;
      const agent = agentOf(thread);
      if (!agent) continue; // a thread whose agent left the roster cannot run (the session pinned the roster: not expected)
      const view = threadView(log, thread.id, primaryId);
      const read = readLog(view);
      plans.set(thread.id, { thread, agent, view, log: read, step: planNextStep(read, { budgetReached: budget, hands, compactAtTokens: compactAtTokens(agent.model) }) });
    }
    // a thread not planned (archived, or its agent not in the roster) runs no more: it is settled;
    // one waiting for an answer (a confirmation, a custom tool's result, a self-hosted worker) is not
    const settled = (id: string) => !inFlight.has(id) && (plans.get(id)?.step.type ?? "wait") === "wait" && waitingFor(plans.get(id)).length === 0;
    const primary = plans.get(primaryId)!;
    for (const plan of plans.values()) {
      if (plan === primary) continue;
      if (plan.step.type === "append" && endsTurn(plan.step.events) && !plan.log.pendingInterrupt) {
        const reply = lastMessage(plan.view) ?? "(The thread ended its turn without a message.)";
        plan.step = { type: "append", events: [...plan.step.events, ...replyEvents({ id: plan.thread.id, name: plan.agent.name }, { id: primaryId, name: coordinator.name }, reply)] };
      }
    }
    const step = primary.step;
    if (step.type === "run_thread_tool") {
      if (step.toolUse.name === "wait_for_threads") {
        const answer = waitResult(step.toolUse, threads, settled);
        primary.step = answer ? { type: "append", events: [answer] } : { type: "wait" };
      } else {
        const context = { primaryId, coordinatorName: coordinator.name, roster: coordinator.roster ?? [], threads, newThreadId: () => newId("sessionThread"), inline: coordinator.inlineAgents ? coordinator : null };
        primary.step = { type: "append", events: threadToolEvents(step.toolUse, context) };
      }
    } else if (step.type === "append" && endsTurn(step.events) && !primary.log.pendingInterrupt) {
      const working = [...plans.keys()].some((id) => id !== primaryId && !settled(id));
      if (working) primary.step = { type: "wait" };
    }
    surfaceChildrenWaiting(plans, primary);
    return plans;
  }

  /**
   * The session waits with its threads: when nothing can move until someone answers a child
   * thread's calls (a teammate's confirmation, a custom tool's result, a self-hosted worker's
   * result), the session goes idle with `requires_action` naming those calls (each carries its
   * `session_thread_id`), as it does for its own; the answer goes to the thread that asked
   * (`threadView`). Once a child can move again the session is running again. Decision: only
   * while the coordinator itself waits on nothing of its own (its `wait_for_threads`, or its turn
   * held open by working threads); its own calls waiting keep its own `requires_action` first.
   */
  function surfaceChildrenWaiting(plans: Map<string, TThreadPlan>, primary: TThreadPlan): void {
    const children = [...plans.values()].filter((plan) => plan !== primary);
    const waiting = children.flatMap((plan) => (inFlight.has(plan.thread.id) ? [] : waitingFor(plan)));
    const moving = children.some((plan) => inFlight.has(plan.thread.id) || plan.step.type !== "wait");
    const state = primary.log.state;
    const childCalls = new Set(children.flatMap((plan) => plan.view.map((event) => event.id)));
    const listed = state.status === "idle" && state.stopReason?.type === "requires_action" ? state.stopReason.event_ids : [];
    const idleForChildren = listed.length > 0 && listed.every((id) => childCalls.has(id));
    const holds = primary.step.type === "wait" || onlyRunning(primary.step);
    if (idleForChildren) {
      if (moving) {
        if (primary.step.type === "wait") primary.step = { type: "append", events: [{ type: "session.status_running" }] };
      } else if (holds) {
        const same = waiting.length === listed.length && waiting.every((id) => listed.includes(id));
        primary.step = same || waiting.length === 0 ? { type: "wait" } : idleWaitingFor(waiting);
      }
      return;
    }
    if (primary.step.type === "wait" && inFlight.size === 0 && !moving && waiting.length > 0) {
      primary.step = idleWaitingFor(waiting);
    }
  }

  async function perform(ctx: TWakeContext, step: TStep): Promise<void> {
    if (hands === undefined && deps.hands && step.type === "run_tool") {
      hands = (await handsOnce()) ?? undefined;
      if (hands?.some((h) => h.byWorkers)) return; // planned again, now knowing where the call runs
    }
    switch (step.type) {
      case "wait":
        return;
      case "append":
        await ctx.append(step.events);
        return;
      case "call_model":
        return callModel(ctx, step.before);
      case "run_tool":
        return runTool(ctx, step.toolUse);
      case "report_interrupted_tool":
        return resolveInterruptedTool(ctx, step.toolUse);
      case "run_mcp_tool":
        return runMcpTool(ctx, step.toolUse);
      case "evaluate_outcome":
        return evaluateOutcome(ctx, step.outcome, step.evaluation);
      case "compact_context":
        return compactContext(ctx, step.before);
      case "consult_advisor":
        return consultAdvisor(ctx, step.toolUse);
      case "run_thread_tool":
        // a child thread's agent has no coordinator tools (depth limit 1): answered as not permitted
        await ctx.append([{ type: "agent.tool_result", tool_use_id: step.toolUse.event.id, is_error: true, content: [{ type: "text", text: "Threads cannot start threads." }] }]);
        return;
    }
  }
}

/** The calls a thread waits on someone to answer: those of its `requires_action`, while it has no step to take. */
function waitingFor(plan: TThreadPlan | undefined): string[] {
  if (!plan || plan.step.type !== "wait") return [];
  const { status, stopReason } = plan.log.state;
  return status === "idle" && stopReason?.type === "requires_action" ? [...stopReason.event_ids] : [];
}

function idleWaitingFor(eventIds: string[]): TStep {
  return { type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: eventIds }, stop_details: null }] };
}

function onlyRunning(step: TStep): boolean {
  return step.type === "append" && step.events.length === 1 && step.events[0]!.type === "session.status_running";
}

function endsTurn(bodies: readonly TEventBody[]): boolean {
  return bodies.some((b) => b.type === "session.status_idle" && b.stop_reason.type === "end_turn");
}

/** The text of a thread's last `agent.message` in its latest turn (after its latest input). */
function lastMessage(view: readonly TStoredEvent[]): string | null {
  for (let i = view.length - 1; i >= 0; i--) {
    const body = view[i]!.body;
    if (body.type === "user.message") return null;
    if (body.type === "agent.message") return body.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n") || null;
  }
  return null;
}

async function readNewEvents(deps: THarnessDeps, sessionId: string, events: TStoredEvent[]): Promise<void> {
  for (;;) {
    const page = await deps.store.getEvents(sessionId, { afterSeq: events.at(-1)?.seq ?? 0, limit: LOG_PAGE });
    events.push(...page);
    if (page.length < LOG_PAGE) return;
  }
}
