import "server-only";
import { context, propagation, type Tracer } from "@opentelemetry/api";
import type { Logger } from "@/lib/log";
import { tracingSettingsFromEnv } from "./tracing-settings";

/** What the parts that make spans are given: the tracer, and whether prompts and outputs may go into spans. */
export type TTracing = {
  tracer: Tracer;
  captureContent: boolean;
  /** Exports what is buffered and stops exporting. */
  shutdown(): Promise<void>;
};

export const TRACER_NAME = "open-managed-agents";
const DEFAULT_SERVICE_NAME = "open-managed-agents";

/**
 * Starts exporting traces when the standard `OTEL_*` variables of `env` (the process's) ask for it
 * (`tracingSettingsFromEnv`), and returns null otherwise: nothing of the SDK is loaded then, and
 * nothing is decorated. The SDK's parts read the rest of the variables from `process.env` themselves.
 *
 * Decision: the tracer provider is given to the parts that make spans (the harness, the session log's
 * hand-off of trace context), not registered as the process's global provider. Registered, it would
 * also record the spans libraries make on their own (Next.js records every request's URL, share
 * links' tokens included), and spans must never carry a secret. What is global is what has to be:
 * the context manager (a span is the parent of what runs inside it) and the W3C `traceparent`
 * propagator (reading an API request's trace context).
 */
export async function startTracing(env: Record<string, string | undefined>, log?: Logger): Promise<TTracing | null> {
  const settings = tracingSettingsFromEnv(env);
  if (!settings.enabled) return null;
  const [{ BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider }, resources, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
    ]);
  const exporters = await Promise.all(
    settings.exporters.map(async (name) => {
      if (name === "console") return new ConsoleSpanExporter();
      // the exporters read OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION themselves
      const { OTLPTraceExporter } =
        settings.protocol === "http/json" ? await import("@opentelemetry/exporter-trace-otlp-http") : await import("@opentelemetry/exporter-trace-otlp-proto");
      return new OTLPTraceExporter();
    }),
  );
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over the default name. No
  // process detector: it records the command line.
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ "service.name": DEFAULT_SERVICE_NAME }))
    .merge(resources.detectResources({ detectors: [resources.hostDetector, resources.envDetector] }))
    .merge(env.OTEL_SERVICE_NAME?.trim() ? resources.resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME.trim() }) : null);
  // BatchSpanProcessor reads OTEL_BSP_*; the provider reads OTEL_TRACES_SAMPLER(_ARG).
  const provider = new NodeTracerProvider({ resource, spanProcessors: exporters.map((exporter) => new BatchSpanProcessor(exporter)) });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  log?.info("exporting traces", { exporters: settings.exporters.join(","), protocol: settings.protocol, captureContent: settings.captureContent });
  return {
    tracer: provider.getTracer(TRACER_NAME),
    captureContent: settings.captureContent,
    shutdown: () => provider.shutdown(),
  };
}
