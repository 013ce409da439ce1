import "server-only";
import { createContextKey, type Context } from "@opentelemetry/api";

/**
 * The session thread a piece of work belongs to, carried in the OpenTelemetry context: a child
 * thread's steps run under it (`ThreadSpans.run`); the primary thread's work carries none. The
 * sandbox is shared by a session's threads, so this is how a command finds the tool call it serves.
 */
const THREAD_KEY = createContextKey("managed_agents.session_thread.id");

export function withThread(parent: Context, threadId: string): Context {
  return parent.setValue(THREAD_KEY, threadId);
}

/** The child thread `ctx` runs for; null for the primary thread's work. */
export function threadOfContext(ctx: Context): string | null {
  const value = ctx.getValue(THREAD_KEY);
  return typeof value === "string" ? value : null;
}
