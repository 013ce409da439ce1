import "server-only";
import { SpanKind, SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from "@opentelemetry/semantic-conventions/incubating";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { listCostNanoUsd } from "@/lib/model/prices";
import type { THarnessMetrics } from "./metrics";
import { isAbortError, ModelError, type ModelClient, type TModelContentBlock, type TModelRequest, type TModelResponse, type TStreamOptions } from "@/lib/model/types";

/** `gen_ai.response.time_to_first_chunk`: seconds from the request to the first streamed delta. */
const ATTR_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";

/**
 * A model client whose every request is a span in the GenAI semantic conventions: `chat <model>`
 * (kind client) with the provider, the requested and answering model, the token usage (cache
 * reads and writes included) and the finish reason. Prompts, instructions and outputs go into the
 * span (`gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages`) only when
 * `captureContent` is set: they are the users' data. The request is built from the session's log,
 * whose secrets are redacted before they are stored, so even captured content carries none.
 */
export function withModelTracing(inner: ModelClient, options: { tracer: Tracer; captureContent: boolean; provider?: string; metrics?: THarnessMetrics }): ModelClient {
  const { tracer, captureContent, metrics } = options;
  const provider = options.provider ?? "anthropic";
  return {
    description: inner.description,
    stream(request: TModelRequest, streamOptions: TStreamOptions): Promise<TModelResponse> {
      const attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: "chat",
        [ATTR_GEN_AI_PROVIDER_NAME]: provider,
        [ATTR_GEN_AI_SYSTEM]: provider,
        [ATTR_GEN_AI_REQUEST_MODEL]: request.model,
        [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: request.maxTokens,
      };
      return tracer.startActiveSpan(`chat ${request.model}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        if (captureContent) recordInput(span, request);
        const started = performance.now();
        let firstChunk = true;
        const onDelta = streamOptions.onDelta;
        const tracedOptions: TStreamOptions = {
          ...streamOptions,
          onDelta: (delta) => {
            if (firstChunk) {
              firstChunk = false;
              span.setAttribute(ATTR_TIME_TO_FIRST_CHUNK, (performance.now() - started) / 1000);
            }
            onDelta?.(delta);
          },
        };
        try {
          const response = await inner.stream(request, tracedOptions);
          span.setAttributes({
            [ATTR_GEN_AI_RESPONSE_MODEL]: responseModel(response) ?? request.model,
            [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: [response.stopReason],
            [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: response.usage.input_tokens,
            [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: response.usage.output_tokens,
            [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: response.usage.cache_read_input_tokens,
            [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: response.usage.cache_creation_input_tokens,
          });
          if (metrics) {
            const labels = { ...metricLabels(attributes), [ATTR_GEN_AI_RESPONSE_MODEL]: responseModel(response) ?? request.model };
            metrics.tokenUsage.record(response.usage.input_tokens, { ...labels, [ATTR_GEN_AI_TOKEN_TYPE]: "input" });
            metrics.tokenUsage.record(response.usage.output_tokens, { ...labels, [ATTR_GEN_AI_TOKEN_TYPE]: "output" });
            metrics.operationDuration.record((performance.now() - started) / 1000, labels);
            const nanoUsd = listCostNanoUsd(labels[ATTR_GEN_AI_RESPONSE_MODEL], response.usage);
            if (nanoUsd) metrics.listCost.add(nanoUsd / 1e9, labels);
          }
          if (captureContent) span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, JSON.stringify([{ role: "assistant", parts: response.content.map(outputPart), finish_reason: response.stopReason }]));
          return response;
        } catch (error) {
          // Only the kind of failure: a message may quote what the provider sent back.
          const type = error instanceof ModelError ? error.kind : isAbortError(error) ? "cancelled" : "_OTHER";
          span.setAttribute(ATTR_ERROR_TYPE, type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: type });
          metrics?.operationDuration.record((performance.now() - started) / 1000, { ...metricLabels(attributes), [ATTR_ERROR_TYPE]: type });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}

/** A request's attributes that label its metrics (not its max_tokens). */
function metricLabels(attributes: Record<string, string | number>): Record<string, string | number> {
  const { [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: _maxTokens, ...labels } = attributes;
  return labels;
}

/** The model that answered, where the client reports it (`TModelResponse.model`). */
function responseModel(response: TModelResponse): string | undefined {
  const model = (response as { model?: unknown }).model;
  return typeof model === "string" && model !== "" ? model : undefined;
}

function recordInput(span: Span, request: TModelRequest): void {
  if (request.system && request.system.length > 0) {
    span.setAttribute(ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, JSON.stringify(request.system.map((block) => ({ type: "text", content: block.text }))));
  }
  span.setAttribute(ATTR_GEN_AI_INPUT_MESSAGES, JSON.stringify(request.messages.map(inputMessage)));
}

function inputMessage(message: MessageParam): { role: string; parts: unknown[] } {
  const blocks: ContentBlockParam[] = typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
  return { role: message.role, parts: blocks.map(inputPart) };
}

function inputPart(block: ContentBlockParam): unknown {
  switch (block.type) {
    case "text":
      return { type: "text", content: block.text };
    case "tool_use":
      return { type: "tool_call", id: block.id, name: block.name, arguments: block.input };
    case "tool_result":
      return { type: "tool_call_response", id: block.tool_use_id, response: block.content };
    case "thinking":
      return { type: "reasoning", content: block.thinking };
    default:
      return { type: block.type };
  }
}

function outputPart(block: TModelContentBlock): unknown {
  switch (block.type) {
    case "text":
      return { type: "text", content: block.text };
    case "thinking":
      return { type: "reasoning", content: block.thinking };
    case "tool_use":
      return { type: "tool_call", id: block.id, name: block.name, arguments: block.input };
  }
}
