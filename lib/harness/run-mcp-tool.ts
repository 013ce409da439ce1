import "server-only";
import { mcpFailureEvent } from "./mcp-failure-event";
import type { TToolUseView } from "./read-log";
import { watchForInterrupt } from "./watch-for-interrupt";
import { DEFAULT_TOOL_TIMEOUT_MS, WakeStoppedError, plannedAtSeq, type TWakeContext } from "./wake-context";

/**
 * Calls one MCP tool through the session's connection to its server: `span.tool_execution_start`
 * first (so a successor knows the call may have happened, and never repeats it), then
 * `agent.mcp_tool_result`. A server that cannot be reached or refuses the credential gives an
 * error result the model sees and a `session.error` naming the server; the turn goes on. An
 * interrupt, the end of the wake or the worker stopping aborts the call (the planner then closes the
 * turn, or the successor reports it interrupted).
 */
export async function runMcpTool(ctx: TWakeContext, use: TToolUseView): Promise<void> {
  const knownSeq = plannedAtSeq(ctx);
  const started = await ctx.append([{ type: "span.tool_execution_start", tool_use_id: use.event.id }]);
  const serverName = use.mcpServerName ?? "";
  if (!ctx.mcp) {
    await ctx.append([
      {
        type: "agent.mcp_tool_result",
        mcp_tool_use_id: use.event.id,
        is_error: true,
        content: [{ type: "text", text: `MCP server "${serverName}" is not available to this session.` }],
      },
    ]);
    return;
  }
  const watch = watchForInterrupt(ctx, knownSeq, started);
  const controller = new AbortController();
  const abort = () => controller.abort();
  void watch.interrupted.then(abort);
  ctx.signal.addEventListener("abort", abort, { once: true });
  // Like a built-in tool call, an MCP call is not given the shutdown's grace: it is cut, and the
  // successor resolves it from the log as after a crash (reported as interrupted, never repeated).
  ctx.stopping.addEventListener("abort", abort, { once: true });
  if (ctx.stopping.aborted) abort();
  try {
    const result = await ctx.mcp.call(serverName, use.name, use.input, {
      signal: controller.signal,
      timeoutMs: ctx.deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    });
    await ctx.append([
      ...(result.failure ? [mcpFailureEvent(result.failure)] : []),
      { type: "agent.mcp_tool_result", mcp_tool_use_id: use.event.id, is_error: result.isError, content: result.content },
    ]);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    if (ctx.stopping.aborted) throw new WakeStoppedError(ctx.sessionId);
    if (watch.isInterrupted()) return;
    throw error;
  } finally {
    watch.stop();
    ctx.signal.removeEventListener("abort", abort);
    ctx.stopping.removeEventListener("abort", abort);
  }
}
