import "server-only";
import type { TEventBody } from "@/lib/event-log/events";
import type { TInlineAgent, TThreadState } from "@/lib/event-log/threads";
import type { TRosterAgent } from "./coordinator-tool-names";
import type { TToolUseView } from "./read-log";
import type { TAgentConfig } from "./agent-config";
import { inlineAgentOf, INLINE_AGENT_INPUT_SCHEMA } from "./inline-agent";

export { COORDINATOR_TOOL_NAMES, isCoordinatorTool, type TRosterAgent } from "./coordinator-tool-names";

/**
 * The tools a coordinator (an agent with `multiagent: {type: "coordinator"}`, or `multiagent_20261001`
 * with subagents enabled) gets to run its roster
 * as session threads. Decision: the reference and the SDK name no such tools, so these names and
 * inputs are ours (README, "Multi-agent threads"); they are recorded as `agent.tool_use` events and
 * answered by `agent.tool_result` like the built-in tools, without a sandbox.
 * - `start_thread {agent, task}`: starts a thread running the roster agent named `agent` (its name
 *   or id), with `task` as its first message; with `multiagent_20261001`, `agent` names a predefined
 *   agent, or `inline_agent` defines one for the thread when inline agents are enabled (inline-agent.ts);
 * - `send_to_thread {thread_id, message}`: sends a message to a thread it started;
 * - `wait_for_threads {thread_ids?}`: returns once the named threads (all when omitted) are idle.
 * A thread's answer comes back as an `agent.thread_message_received` on the coordinator's thread
 * when the thread goes idle at the end of its turn.
 */

/** Most child threads a session may have: the roster holds at most 20 agents; each may run a few times. */
export const MAX_CHILD_THREADS = 50;

export function coordinatorToolDefinitions(roster: readonly TRosterAgent[], options: { inlineAgents?: boolean } = {}) {
  const names = roster.map((a) => `${a.name} (${a.id})`).join(", ");
  const inline = options.inlineAgents === true;
  const who = [roster.length > 0 ? `one of your agents (${names})` : null, inline ? "an agent you define (inline_agent)" : null].filter(Boolean).join(" or ");
  return [
    {
      name: "start_thread",
      description: `Start a session thread in which ${who} works on a task, in parallel with you and other threads. Its reply arrives as a message from the thread when it finishes.`,
      input_schema: {
        type: "object",
        properties: {
          ...(roster.length > 0 ? { agent: { type: "string", description: "The agent's name or id." } } : {}),
          ...(inline ? { inline_agent: INLINE_AGENT_INPUT_SCHEMA } : {}),
          task: { type: "string", description: "What the agent should do." },
        },
        required: inline ? ["task"] : ["agent", "task"],
      },
    },
    {
      name: "send_to_thread",
      description: "Send a message to a thread you started; it continues with everything from its earlier turns.",
      input_schema: { type: "object", properties: { thread_id: { type: "string" }, message: { type: "string" } }, required: ["thread_id", "message"] },
    },
    {
      name: "wait_for_threads",
      description: "Wait until the given threads (all of your threads when omitted) are idle.",
      input_schema: { type: "object", properties: { thread_ids: { type: "array", items: { type: "string" } } } },
    },
  ];
}


const text = (value: string) => [{ type: "text" as const, text: value }];
const result = (use: TToolUseView, message: string, isError = false): TEventBody => ({
  type: "agent.tool_result",
  tool_use_id: use.event.id,
  is_error: isError,
  content: text(message),
});

/**
 * The events that answer a `start_thread` or `send_to_thread` call, appended as one batch: the
 * thread, the message and the tool's result commit together, so a harness that dies before the
 * append leaves the call unanswered (and it is made again), never half made. `newThreadId` is called
 * once for a new thread.
 */
export function threadToolEvents(
  use: TToolUseView,
  context: {
    primaryId: string;
    coordinatorName: string;
    roster: readonly TRosterAgent[];
    threads: readonly TThreadState[];
    newThreadId: () => string;
    /** The coordinator's config, when it may define inline agents (and names the saved agent it is). */
    inline?: Pick<TAgentConfig, "model" | "builtinTools" | "ref"> | null;
  },
): TEventBody[] {
  const input = use.input;
  const children = context.threads.filter((t) => t.parentThreadId !== null);
  if (use.name === "start_thread") {
    const task = typeof input.task === "string" ? input.task : "";
    const inline = context.inline?.ref ? { ...context.inline, ref: context.inline.ref } : null;
    let agent: { id: string; version: number; name: string };
    let definition: TInlineAgent | undefined;
    if (input.inline_agent !== undefined && !inline) return [result(use, "inline_agent: you cannot define inline agents; name an agent of your roster.", true)];
    if (input.inline_agent !== undefined && inline) {
      if (input.agent !== undefined) return [result(use, "Name an agent or define an inline_agent, not both.", true)];
      const parsed = inlineAgentOf(input.inline_agent, inline);
      if (typeof parsed === "string") return [result(use, parsed, true)];
      definition = parsed;
      agent = { id: inline.ref.id, version: inline.ref.version, name: parsed.name };
    } else {
      const wanted = typeof input.agent === "string" ? input.agent : "";
      const found = context.roster.find((a) => a.id === wanted || a.name === wanted);
      if (!found) {
        const choices = context.roster.map((a) => a.name).join(", ") || "(none)";
        return [result(use, `No agent "${wanted.slice(0, 200)}" in your roster: ${choices}.${inline ? " Or define an inline_agent." : ""}`, true)];
      }
      agent = found;
    }
    if (task.trim() === "") return [result(use, "task: must not be empty.", true)];
    if (children.length >= MAX_CHILD_THREADS) return [result(use, `A session runs at most ${MAX_CHILD_THREADS} threads.`, true)];
    const id = context.newThreadId();
    return [
      {
        type: "session.thread_created",
        session_thread_id: id,
        agent_name: agent.name,
        workflow_run_id: null,
        agent_id: agent.id,
        agent_version: agent.version,
        parent_thread_id: context.primaryId,
        ...(definition ? { inline_agent: definition } : {}),
      },
      ...messageEvents(context.primaryId, context.coordinatorName, id, agent.name, task),
      result(use, `Started thread ${id} (${agent.name}).`),
    ];
  }
  if (use.name === "send_to_thread") {
    const target = children.find((t) => t.id === input.thread_id);
    const message = typeof input.message === "string" ? input.message : "";
    if (!target) return [result(use, `No thread ${String(input.thread_id).slice(0, 64)} of yours.`, true)];
    if (target.archivedAt) return [result(use, `Thread ${target.id} is archived.`, true)];
    if (target.status === "terminated") return [result(use, `Thread ${target.id} is terminated.`, true)];
    if (message.trim() === "") return [result(use, "message: must not be empty.", true)];
    return [...messageEvents(context.primaryId, context.coordinatorName, target.id, target.agent!.name, message), result(use, `Sent to thread ${target.id}.`)];
  }
  return [result(use, `${use.name} is not a thread tool.`, true)];
}

/**
 * `wait_for_threads`: its result once every thread it names is settled (`settled(id)`: idle with
 * nothing left to do), or null while one is still working.
 */
export function waitResult(use: TToolUseView, threads: readonly TThreadState[], settled: (threadId: string) => boolean): TEventBody | null {
  const children = threads.filter((t) => t.parentThreadId !== null);
  const ids = Array.isArray(use.input.thread_ids) ? use.input.thread_ids.filter((id): id is string => typeof id === "string") : children.map((t) => t.id);
  const unknown = ids.find((id) => !children.some((t) => t.id === id));
  if (unknown) return result(use, `No thread ${unknown.slice(0, 64)} of yours.`, true);
  if (!ids.every(settled)) return null;
  const lines = ids.map((id) => {
    const t = children.find((c) => c.id === id)!;
    return `${t.id} (${t.agent!.name}): ${t.status}${t.stopReason ? `, ${t.stopReason.type}` : ""}`;
  });
  return result(use, lines.length === 0 ? "You have no threads." : `Threads settled; their replies are in the messages from them.\n${lines.join("\n")}`);
}

function messageEvents(fromId: string, fromName: string, toId: string, toName: string, message: string): TEventBody[] {
  return [
    { type: "agent.thread_message_sent", to_session_thread_id: toId, to_agent_name: toName, content: text(message) },
    { type: "agent.thread_message_received", from_session_thread_id: fromId, from_agent_name: fromName, content: text(message), session_thread_id: toId },
  ];
}

/** A child thread's reply to the coordinator, appended with its idle at the end of its turn. */
export function replyEvents(child: { id: string; name: string }, primary: { id: string; name: string }, reply: string): TEventBody[] {
  return [
    { type: "agent.thread_message_sent", to_session_thread_id: primary.id, to_agent_name: primary.name, content: text(reply), session_thread_id: child.id },
    { type: "agent.thread_message_received", from_session_thread_id: child.id, from_agent_name: child.name, content: text(reply), session_thread_id: primary.id },
  ];
}
