import "server-only";
import { executeTool, getTool } from "@/lib/tools/registry";
import type { ToolResult } from "@/lib/tools/types";
import { LiveToolOutput } from "./live-tool-output";
import { copyFileResources } from "./file-resources";
import { withMemoryMounted } from "./memory-sync";
import { syncAttachments } from "./session-attachments";
import { saveOutputs } from "./session-outputs";
import type { TToolUseView } from "./read-log";
import type { TSandboxLease } from "./sandbox-pool";
import { closeAbandonedProvisioning, recordReplaced, sandboxStatusRecorder } from "./sandbox-status";
import { watchForInterrupt } from "./watch-for-interrupt";
import { DEFAULT_TOOL_TIMEOUT_MS, sleep, WakeStoppedError, plannedAtSeq, type TWakeContext } from "./wake-context";

/** Sandbox failures after which the sandbox is replaced: the next tool call provisions a new one. */
const REPLACE_SANDBOX_ON = new Set(["sandbox_dead", "provision_failed"]);

/**
 * Runs one built-in tool call in the session's sandbox, provisioned on first use. Records
 * `span.tool_execution_start` first, then `agent.tool_result`. A sandbox that fails to start, dies
 * or hangs becomes an error result and is replaced for the next call; the session goes on. An
 * interrupt stops waiting for the tool (the planner then closes the turn).
 *
 * In a session of several environments the call runs in the sandbox of the environment its
 * `agent.tool_use` names, and its result names it too (`environment_id`).
 */
export async function runTool(ctx: TWakeContext, use: TToolUseView): Promise<void> {
  const knownSeq = plannedAtSeq(ctx);
  const started = await ctx.append([{ type: "span.tool_execution_start", tool_use_id: use.event.id }]);
  const watch = watchForInterrupt(ctx, knownSeq, started);
  const leaving = whenLeaving(ctx);
  try {
    const routed = (use.event.body as { environment_id?: string }).environment_id;
    const running = execute(ctx, use, await sandboxEnvironmentOf(ctx, routed));
    running.catch(() => {}); // abandoned below, it may still fail (a fenced append): nobody waits for it
    const result = await Promise.race([running, watch.interrupted.then(() => null), leaving.promise.then((): typeof LEAVING => LEAVING)]);
    if (result === LEAVING) return await abandonToolCall(ctx, use);
    if (result === null) return;
    await ctx.append(
      [{ type: "agent.tool_result", tool_use_id: use.event.id, is_error: result.isError, content: [{ type: "text", text: result.content }], ...(routed ? { environment_id: routed } : {}) }],
      { endsStep: true },
    );
  } finally {
    watch.stop();
    leaving.stop();
  }
}

const LEAVING = Symbol("leaving");

/**
 * The pool's environment for a call routed to `routed`: none for the primary (its sandbox is the
 * session's, as in a session of one environment), else that environment.
 */
async function sandboxEnvironmentOf(ctx: TWakeContext, routed: string | undefined): Promise<string | undefined> {
  if (!routed) return undefined;
  const hand = (await ctx.hands())?.find((h) => h.id === routed);
  return hand?.primary ? undefined : routed;
}

/** Resolves when the worker stops (or the wake is aborted): a tool call is not waited for then. */
function whenLeaving(ctx: TWakeContext): { promise: Promise<void>; stop(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const signals = [ctx.signal, ctx.stopping];
  const fire = () => resolve();
  for (const signal of signals) {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", fire, { once: true });
  }
  return { promise, stop: () => signals.forEach((signal) => signal.removeEventListener("abort", fire)) };
}

/**
 * The worker is leaving while the tool runs. Decision: a tool call is not given the shutdown's grace
 * (a model call is): its command may run for minutes, and the log already says how to resolve it.
 * Its sandbox is destroyed (the command is killed) before the wake gives up, so that the command
 * never runs beside whatever the successor does; no result is appended, and the successor resolves
 * the call exactly as after a crash (`resolveInterruptedTool`: an idempotent tool runs again, any
 * other is reported to the model as interrupted, never run twice).
 */
async function abandonToolCall(ctx: TWakeContext, use: TToolUseView): Promise<never> {
  ctx.deps.log?.info("abandoning a tool call: the worker is stopping", { sessionId: ctx.sessionId, tool: use.name });
  await ctx.deps.sandboxes.discard(ctx.sessionId);
  throw ctx.signal.aborted ? (ctx.signal.reason ?? new WakeStoppedError(ctx.sessionId)) : new WakeStoppedError(ctx.sessionId);
}

/**
 * A tool call that was started by a harness that died before recording its result: run again when
 * the tool is idempotent; otherwise tell the model it was interrupted, never run it a second time.
 */
export async function resolveInterruptedTool(ctx: TWakeContext, use: TToolUseView): Promise<void> {
  await closeAbandonedProvisioning(ctx);
  if (getTool(use.name)?.idempotent) {
    ctx.deps.log?.info("re-running an interrupted idempotent tool call", { sessionId: ctx.sessionId, tool: use.name });
    return runTool(ctx, use);
  }
  const text =
    `The ${use.name} call was interrupted: the worker running it stopped before its result was recorded. ` +
    "It was not run again because it may have side effects; check whether it took effect before retrying it.";
  await ctx.append([{ type: "agent.tool_result", tool_use_id: use.event.id, is_error: true, content: [{ type: "text", text }] }]);
}

const HUNG = Symbol("hung");

/**
 * Runs the tool in the session's sandbox. Everything that comes back from the sandbox is redacted
 * of the session's secrets before it is returned (and so before it is stored): a credential's value
 * never reaches the log or the model, even if it somehow reached the sandbox's output. A command's
 * output is also published live as it runs (previews on the bus, redacted alike, never stored);
 * all of it is published before the result is returned, so viewers see it before the result.
 * A session's memory stores are mounted for the call and what it wrote saved after it
 * (memory-sync.ts); what could not be saved is told in the result. The session's file resources
 * not yet in this sandbox are copied in first (file-resources.ts); one that could not be is told
 * at the top of the result.
 */
async function execute(ctx: TWakeContext, use: TToolUseView, environmentId: string | undefined): Promise<ToolResult> {
  const pool = ctx.deps.sandboxes;
  let lease: TSandboxLease;
  try {
    lease = await pool.acquire(ctx.sessionId, sandboxStatusRecorder(ctx, environmentId), environmentId);
  } catch (error) {
    // The pool's errors are redacted already.
    const reason = error instanceof Error ? error.message : "unknown error";
    return { content: `The sandbox could not be started: ${reason}`, isError: true, errorCode: "provision_failed" };
  }
  const timeoutMs = ctx.deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const done = new AbortController();
  const hung = sleep(timeoutMs, done.signal).then(() => (done.signal.aborted ? null : HUNG));
  const bus = ctx.deps.bus;
  const live = bus
    ? new LiveToolOutput({ toolUseId: use.event.id, redactor: () => lease.streamRedactor(), publish: (preview) => bus.publish(ctx.sessionId, { kind: "preview", preview }) })
    : null;
  // memory stores and repositories added to (or removed from) the running session since
  const attachNotes = ctx.deps.attachments ? await attachChanges(ctx, lease) : [];
  // files added to the session since this sandbox last looked (all of them, for a new sandbox)
  const fileNotes = ctx.deps.files ? await copyFileResources({ files: ctx.deps.files, sandbox: lease.sandbox, sessionId: ctx.sessionId, copied: lease.copiedFiles }).catch((error: unknown) => [`The session's files could not be copied into the sandbox: ${error instanceof Error ? error.message : String(error)}`]) : [];
  fileNotes.unshift(...attachNotes);
  const call = () => executeTool(lease.sandbox, use.name, use.input, live ? { onOutput: live.push } : {});
  const memory = ctx.deps.memory;
  const running = memory && lease.memory.length > 0 ? withMemoryMounted({ memory, sandbox: lease.sandbox, sessionId: ctx.sessionId, mounts: () => lease.memory }, call) : call();
  const result = await Promise.race([running, hung]);
  done.abort();
  live?.close();
  if (result === HUNG || result === null) {
    void pool.discard(ctx.sessionId, environmentId);
    await recordReplaced(ctx, lease, `it did not answer within ${Math.round(timeoutMs / 1000)} s`, environmentId);
    return {
      content: `The sandbox did not answer within ${Math.round(timeoutMs / 1000)} s; it was replaced. Try again.`,
      isError: true,
      errorCode: "sandbox_dead",
    };
  }
  if (result.errorCode && REPLACE_SANDBOX_ON.has(result.errorCode)) {
    ctx.deps.log?.warn("replacing the session's sandbox", { sessionId: ctx.sessionId, errorCode: result.errorCode });
    void pool.discard(ctx.sessionId, environmentId);
    if (result.errorCode === "sandbox_dead") await recordReplaced(ctx, lease, lease.redact(result.content), environmentId);
  }
  // what the call left in /workspace/outputs/ becomes the session's files
  const outputNotes = ctx.deps.outputs && !(result.errorCode && REPLACE_SANDBOX_ON.has(result.errorCode))
    ? await saveOutputs({ outputs: ctx.deps.outputs, sandbox: lease.sandbox, sessionId: ctx.sessionId, toolName: use.name, seen: lease.savedOutputs }).catch((error: unknown) => [
        `The files under /workspace/outputs could not be saved: ${error instanceof Error ? error.message : String(error)}`,
      ])
    : [];
  const withFiles = fileNotes.length > 0 ? `${fileNotes.join("\n")}\n\n${result.content}` : result.content;
  const content = outputNotes.length > 0 ? `${withFiles}\n\n${outputNotes.join("\n")}` : withFiles;
  return { ...result, content: lease.redact(content) };
}

/** The session's memory stores and repositories brought into the running sandbox (session-attachments.ts); a failure to read them is a note. */
async function attachChanges(ctx: TWakeContext, lease: TSandboxLease): Promise<string[]> {
  try {
    return await syncAttachments(lease, await ctx.deps.attachments!(ctx.sessionId));
  } catch (error) {
    ctx.deps.log?.warn("could not read the session's memory stores and repositories", { sessionId: ctx.sessionId, error: error instanceof Error ? error.message : String(error) });
    return ["The session's memory stores and repositories could not be read: what was added to the session since this sandbox started is not in it yet."];
  }
}
