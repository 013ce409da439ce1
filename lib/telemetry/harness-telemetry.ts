import "server-only";
import { trace, type Tracer } from "@opentelemetry/api";
import type { SessionStore, TSessionSnapshot } from "@/lib/event-log/session-store";
import type { ModelClient } from "@/lib/model/types";
import type { SandboxProviders } from "@/lib/sandbox/providers";
import type { THarnessMetrics } from "./metrics";
import { TRACER_NAME } from "./start-tracing";
import { ThreadSpans, type TTracedThread } from "./thread-spans";
import { ToolCallSpans } from "./tool-call-spans";
import { InMemoryTraceHandoff, withTraceHandoff, type TraceHandoff } from "./trace-handoff";
import { withModelTracing } from "./traced-model-client";
import { withSandboxTracing } from "./traced-sandbox-providers";
import { traceTurns } from "./turn-spans";

export type THarnessTelemetryOptions = {
  /** Traces (`startTracing`); absent: spans are the API's no-op ones. */
  tracing?: {
    tracer: Tracer;
    /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`: prompts, outputs and tool input/output go into spans. */
    captureContent: boolean;
    /** Where a waking request's trace context waits for the turn (default: this process's memory). */
    handoff?: TraceHandoff;
  };
  /** Metrics (`startMetrics`); absent: none recorded. */
  metrics?: THarnessMetrics;
};

/**
 * The decorators that make a harness's work into traces and metrics, one per part it is built
 * from: each turn (`wake`) an `invoke_agent` span, under it a `chat <model>` span per model request,
 * an `execute_tool <name>` span per tool call, and `sandbox.provision` / `sandbox.exec` spans for
 * the sandbox's work; in a coordinator's session, an `invoke_agent <agent>` span per turn of each
 * child thread, parent of that thread's model requests and tool calls; tokens, durations, tool calls, provisionings and append latency as metrics.
 * The harness's own modules know nothing of it.
 */
export function harnessTelemetry(options: THarnessTelemetryOptions) {
  const tracer = options.tracing?.tracer ?? trace.getTracer(TRACER_NAME); // the API's no-op tracer while none is registered
  const captureContent = options.tracing?.captureContent ?? false;
  const { metrics } = options;
  const handoff = options.tracing ? (options.tracing.handoff ?? new InMemoryTraceHandoff()) : undefined;
  const tools = new ToolCallSpans(tracer, captureContent, metrics);
  const threads = new ThreadSpans(tracer);
  return {
    /**
     * The log as everyone appends to it: an append that wakes a session hands its trace context to
     * the turn (with tracing), and each append's duration is recorded (with metrics).
     */
    log(store: SessionStore): SessionStore {
      const handingOff = handoff ? withTraceHandoff(store, handoff) : store;
      return metrics ? timingAppends(handingOff, metrics) : handingOff;
    },
    /** The log as the harness reads and appends it: tool calls open and close their spans. */
    store: (store: SessionStore) => threads.observe(tools.observe(store)),
    /** Each step of a coordinator's child thread (`THarnessDeps.threadStep`): run under the thread's span. */
    threadStep: <T>(sessionId: string, thread: TTracedThread, step: () => Promise<T>): Promise<T> => threads.run(sessionId, thread, step),
    model: (model: ModelClient) => withModelTracing(model, { tracer, captureContent, metrics }),
    providers: (providers: SandboxProviders) => withSandboxTracing(providers, { tracer, tools, metrics }),
    wake: <TDeps extends { store: SessionStore }, TOptions extends { snapshot?: TSessionSnapshot }, TResult extends { steps: number }>(
      wake: (sessionId: string, deps: TDeps, options?: TOptions) => Promise<TResult>,
    ) => traceTurns(wake, { tracer, tools, threads, handoff: handoff ?? NO_HANDOFF }),
  };
}

export type THarnessTelemetry = ReturnType<typeof harnessTelemetry>;

const NO_HANDOFF: TraceHandoff = { put: () => {}, take: () => undefined };

function timingAppends(store: SessionStore, metrics: THarnessMetrics): SessionStore {
  return {
    createSession: (input) => store.createSession(input),
    getSession: (id) => store.getSession(id),
    getEvents: (id, query) => store.getEvents(id, query),
    async appendEvents(sessionId, events, options) {
      const started = performance.now();
      try {
        return await store.appendEvents(sessionId, events, options);
      } finally {
        metrics.appendDuration.record((performance.now() - started) / 1000);
      }
    },
  };
}
