import "server-only";
import type { Counter, Histogram, ObservableResult } from "@opentelemetry/api";
import { TRACER_NAME } from "./start-tracing";

/** The instruments the harness's decorators record into (names from the GenAI semantic conventions where they have one). */
export type THarnessMetrics = {
  /** `gen_ai.client.token.usage`: tokens per model request, by `gen_ai.token.type` (input, output) and model. */
  tokenUsage: Histogram;
  /** `gen_ai.client.operation.duration`: seconds per model request, by model (and `error.type`). */
  operationDuration: Histogram;
  /** Tool calls, by `gen_ai.tool.name` and whether they failed. */
  toolCalls: Counter;
  /** Seconds per tool call, by `gen_ai.tool.name`. */
  toolDuration: Histogram;
  /** Sandbox provisionings, by provider and outcome (`ready`, `failed`). */
  sandboxProvisions: Counter;
  /** Seconds per append to the session log (the commit included). */
  appendDuration: Histogram;
  /** `managed_agents.model.list_cost`: US dollars at list price (lib/model/prices.ts), by model; unpriced models add nothing. */
  listCost: Counter;
};

/** What the process reports when it is read, rather than as it happens. */
export type TObservedSources = {
  /** Items queued for self-hosted workers, by environment (`managed_agents.work.queue.depth`). */
  workQueueDepth?: () => Promise<ReadonlyArray<{ environmentId: string; depth: number }>>;
  /** Socket.io viewers connected to this process (`managed_agents.realtime.viewers`). */
  liveViewers?: () => number;
};

export type TMetrics = {
  instruments: THarnessMetrics;
  /** The current values in the Prometheus text format (served at `/metrics`). */
  prometheus(): Promise<string>;
  /** Adds gauges read at each collection (a scrape of `/metrics`), from these sources. */
  observe(sources: TObservedSources): void;
  shutdown(): Promise<void>;
};

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
const SECONDS_BUCKETS = [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * The process's metrics, kept in memory by the OpenTelemetry metrics SDK and read on demand in the
 * Prometheus text format (`PrometheusExporter` with its own server off: `/metrics` is one of the
 * app's routes, behind `METRICS_TOKEN`). Loaded only when that setting is there.
 */
export async function startMetrics(): Promise<TMetrics> {
  const [{ MeterProvider }, { PrometheusExporter, PrometheusSerializer }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-prometheus"),
    import("@opentelemetry/resources"),
  ]);
  const reader = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": TRACER_NAME }), readers: [reader] });
  const meter = provider.getMeter(TRACER_NAME);
  const serializer = new PrometheusSerializer();
  return {
    instruments: {
      tokenUsage: meter.createHistogram("gen_ai.client.token.usage", { unit: "{token}", description: "Tokens per model request", advice: { explicitBucketBoundaries: TOKEN_BUCKETS } }),
      operationDuration: meter.createHistogram("gen_ai.client.operation.duration", { unit: "s", description: "Duration of model requests", advice: { explicitBucketBoundaries: SECONDS_BUCKETS } }),
      toolCalls: meter.createCounter("managed_agents.tool.calls", { description: "Tool calls run by the harness" }),
      toolDuration: meter.createHistogram("managed_agents.tool.duration", { unit: "s", description: "Duration of tool calls", advice: { explicitBucketBoundaries: SECONDS_BUCKETS } }),
      sandboxProvisions: meter.createCounter("managed_agents.sandbox.provisions", { description: "Sandboxes provisioned, by outcome" }),
      appendDuration: meter.createHistogram("managed_agents.log.append.duration", { unit: "s", description: "Duration of appends to the session log", advice: { explicitBucketBoundaries: SECONDS_BUCKETS } }),
      listCost: meter.createCounter("managed_agents.model.list_cost", { unit: "USD", description: "Cost of model requests at list price" }),
    },
    observe(sources) {
      const { workQueueDepth, liveViewers } = sources;
      if (workQueueDepth) {
        meter
          .createObservableGauge("managed_agents.work.queue.depth", { unit: "{item}", description: "Work items queued for self-hosted workers, by environment" })
          .addCallback(async (result: ObservableResult) => {
            for (const { environmentId, depth } of await workQueueDepth()) result.observe(depth, { "managed_agents.environment.id": environmentId });
          });
      }
      if (liveViewers) {
        meter
          .createObservableGauge("managed_agents.realtime.viewers", { unit: "{viewer}", description: "Live viewers connected to this process over Socket.io" })
          .addCallback((result: ObservableResult) => result.observe(liveViewers()));
      }
    },
    async prometheus() {
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
