import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { listCostNanoUsd } from "@/lib/model/prices";
import type { ModelClient, TModelResponse } from "@/lib/model/types";
import { startMetrics } from "@/lib/telemetry/metrics";
import { withModelTracing } from "@/lib/telemetry/traced-model-client";

/** The value of the first sample of `metric` (any suffix the exporter adds) whose labels include each of `labels`. */
function sample(text: string, metric: string, ...labels: string[]): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(metric) && !l.startsWith("#") && labels.every((label) => l.includes(label)));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

const usage = { input_tokens: 12_000, output_tokens: 3_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const answering = (model: string): ModelClient => ({
  description: "fixed answer",
  stream: async (): Promise<TModelResponse> => ({ model, content: [{ type: "text", text: "ok" }], stopReason: "end_turn", usage }),
});

describe("the process's metrics", () => {
  it("count the list cost of each model request by model, and nothing for a model without a list price", async () => {
    const metrics = await startMetrics();
    const tracer = trace.getTracer("test");
    for (const model of ["claude-sonnet-4-5", "claude-sonnet-4-5", "claude-unpriced"]) {
      const client = withModelTracing(answering(model), { tracer, captureContent: false, metrics: metrics.instruments });
      await client.stream({ model, messages: [{ role: "user", content: "hi" }], maxTokens: 100 }, {});
    }
    const text = await metrics.prometheus();
    const oneRequest = listCostNanoUsd("claude-sonnet-4-5", usage)! / 1e9;
    expect(oneRequest).toBeGreaterThan(0);
    expect(sample(text, "managed_agents_model_list_cost", 'gen_ai_response_model="claude-sonnet-4-5"'), text).toBeCloseTo(2 * oneRequest, 9);
    expect(sample(text, "managed_agents_model_list_cost", 'gen_ai_response_model="claude-unpriced"')).toBeUndefined();
    await metrics.shutdown();
  });

  it("read the work queue's depth by environment and the live viewers when they are collected", async () => {
    const metrics = await startMetrics();
    let viewers = 2;
    metrics.observe({ workQueueDepth: async () => [{ environmentId: "env_a", depth: 3 }, { environmentId: "env_b", depth: 1 }] });
    metrics.observe({ liveViewers: () => viewers });
    let text = await metrics.prometheus();
    expect(sample(text, "managed_agents_work_queue_depth", 'managed_agents_environment_id="env_a"'), text).toBe(3);
    expect(sample(text, "managed_agents_work_queue_depth", 'managed_agents_environment_id="env_b"')).toBe(1);
    expect(sample(text, "managed_agents_realtime_viewers"), text).toBe(2);
    viewers = 5;
    text = await metrics.prometheus();
    expect(sample(text, "managed_agents_realtime_viewers")).toBe(5);
    await metrics.shutdown();
  });
});
