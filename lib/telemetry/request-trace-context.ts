import "server-only";
import { context, propagation, trace } from "@opentelemetry/api";

/**
 * Runs `fn` in the trace context of an incoming request's `traceparent`/`tracestate` headers (as
 * Node gives them: lowercase names), so that the work it queues continues the caller's trace (see
 * `withTraceHandoff`). Where the request already runs in a trace context, where it has no
 * `traceparent`, or when tracing is off (no propagator is installed: extracting changes nothing),
 * `fn` runs as it is.
 */
export function inRequestTraceContext<T>(headers: Record<string, string | string[] | undefined>, fn: () => T): T {
  const active = context.active();
  if (headers.traceparent === undefined || trace.getSpanContext(active)) return fn();
  return context.with(propagation.extract(active, headers), fn);
}
