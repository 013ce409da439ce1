import type { MessageParam, TextBlockParam, Tool } from "@anthropic-ai/sdk/resources/messages";

/**
 * The model, behind one small interface. Implementations: `AnthropicModelClient` (the Messages API
 * through `@anthropic-ai/sdk`, streaming), `DemoModelClient` (the built-in demo model used when no
 * API key is configured) and `ScriptedModelClient` (tests: scripted turns, records every request).
 *
 * Requests and messages use the Messages API's own types: the harness builds them from the log.
 */
export interface ModelClient {
  /** Shown to people: "Anthropic API at https://…", "Built-in demo model", "scripted model". */
  readonly description: string;
  /**
   * Streams one model response. `onDelta` receives text/thinking as it is produced (for live
   * viewers; never stored). Resolves with the complete response once the model has finished;
   * rejects with `ModelError` on failure, or with an `AbortError`-named error when `signal` aborts.
   */
  stream(request: TModelRequest, options: TStreamOptions): Promise<TModelResponse>;
}

export type TModelRequest = {
  model: string;
  system?: TextBlockParam[];
  messages: MessageParam[];
  tools?: Tool[];
  maxTokens: number;
};

export type TStreamOptions = {
  signal?: AbortSignal;
  onDelta?: (delta: TModelDelta) => void;
};

/** A block starts, or text is added to the block at `index` of the response. */
export type TModelDelta =
  | { type: "block_start"; index: number; blockType: "text" | "thinking" | "tool_use" }
  | { type: "text"; index: number; text: string }
  | { type: "thinking"; index: number; text: string };

export type TModelContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export type TModelUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
};

export type TModelResponse = {
  /** The model that answered, as it names itself (it prices the request: prices.ts); absent when unsaid. */
  model?: string;
  content: TModelContentBlock[];
  stopReason: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "refusal" | "pause_turn" | string;
  usage: TModelUsage;
};

/**
 * A failed model call. `retryable` is true for overload, rate limits, timeouts and connection
 * failures; the harness retries those with backoff and reports the rest as `session.error`.
 */
export class ModelError extends Error {
  constructor(
    readonly kind: "model_overloaded_error" | "model_rate_limited_error" | "model_request_failed_error",
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ModelError";
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "APIUserAbortError");
}
