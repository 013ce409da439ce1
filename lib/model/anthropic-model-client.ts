import Anthropic, { type ClientOptions } from "@anthropic-ai/sdk";
import type { ContentBlock, Message, MessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { createAbortError } from "./abort";
import { toModelError } from "./map-anthropic-error";
import { createRedactor, describeBaseUrl } from "./redact-secrets";
import {
  ModelError,
  type ModelClient,
  type TModelContentBlock,
  type TModelDelta,
  type TModelRequest,
  type TModelResponse,
  type TStreamOptions,
} from "./types";

export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** Ten minutes, the SDK's own default. */
const DEFAULT_TIMEOUT_MS = 600_000;

export type TAnthropicModelClientOptions = {
  apiKey: string;
  /** Default https://api.anthropic.com. */
  baseURL?: string;
  /** Retries inside the SDK. Default 0: the harness retries, with backoff and a record in the log. */
  maxRetries?: number;
  /**
   * The longest silence tolerated: until the response starts, and between two events of the
   * stream once it has. Default 10 minutes.
   */
  timeoutMs?: number;
  fetch?: ClientOptions["fetch"];
};

type TSupportedBlockType = TModelContentBlock["type"];

function isSupportedBlock(block: ContentBlock): block is Extract<ContentBlock, { type: TSupportedBlockType }> {
  return block.type === "text" || block.type === "thinking" || block.type === "tool_use";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Only the block types of `TModelContentBlock` are kept; others (e.g. redacted thinking) are dropped. */
function toContentBlocks(content: ContentBlock[]): TModelContentBlock[] {
  return content.filter(isSupportedBlock).map((block): TModelContentBlock => {
    switch (block.type) {
      case "text":
        return { type: "text", text: block.text };
      case "thinking":
        return { type: "thinking", thinking: block.thinking };
      case "tool_use":
        return { type: "tool_use", id: block.id, name: block.name, input: isRecord(block.input) ? block.input : {} };
    }
  });
}

function toModelResponse(message: Message): TModelResponse {
  const { usage } = message;
  return {
    model: message.model,
    content: toContentBlocks(message.content),
    stopReason: message.stop_reason ?? "end_turn",
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    },
  };
}

/**
 * Turns the SDK's stream events into `TModelDelta`s. Indexes are those of the blocks in the final
 * `TModelResponse.content` (the API's, minus the block types that are not kept).
 */
function createDeltaForwarder(onDelta: (delta: TModelDelta) => void) {
  const indexes = new Map<number, number>();
  return (event: MessageStreamEvent) => {
    if (event.type === "content_block_start") {
      const block = event.content_block;
      if (!isSupportedBlock(block)) return;
      const index = indexes.size;
      indexes.set(event.index, index);
      onDelta({ type: "block_start", index, blockType: block.type });
    } else if (event.type === "content_block_delta") {
      const index = indexes.get(event.index);
      if (index === undefined) return;
      if (event.delta.type === "text_delta") onDelta({ type: "text", index, text: event.delta.text });
      if (event.delta.type === "thinking_delta") onDelta({ type: "thinking", index, text: event.delta.thinking });
    }
  };
}

/** User name and password of a base URL such as https://user:secret@proxy.example, decoded. */
function urlCredentials(baseURL: string): string[] {
  const url = new URL(baseURL);
  return [url.username, url.password].filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}

/** The Messages API through `@anthropic-ai/sdk`, streaming. */
export class AnthropicModelClient implements ModelClient {
  readonly description: string;
  readonly #client: Anthropic;
  readonly #timeoutMs: number;
  readonly #redact: (text: string) => string;

  constructor(options: TAnthropicModelClientOptions) {
    const baseURL = options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL;
    this.description = `Anthropic API at ${describeBaseUrl(baseURL)}`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#redact = createRedactor([options.apiKey, ...urlCredentials(baseURL)]);
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL,
      maxRetries: options.maxRetries ?? 0,
      timeout: this.#timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async stream(request: TModelRequest, options: TStreamOptions = {}): Promise<TModelResponse> {
    const { signal, onDelta } = options;
    if (signal?.aborted) throw createAbortError(signal.reason);

    const stream = this.#client.messages.stream(
      {
        model: request.model,
        max_tokens: request.maxTokens,
        messages: request.messages,
        ...(request.system?.length ? { system: request.system } : {}),
        ...(request.tools?.length ? { tools: request.tools } : {}),
      },
      { signal },
    );

    // A failing listener must not pass for a broken stream: remember its error and stop.
    let listenerError: { error: unknown } | undefined;
    const forward = onDelta ? createDeltaForwarder(onDelta) : undefined;

    // The SDK's timeout ends once the response starts; silence after that is caught here.
    let stalled = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        stream.abort();
      }, this.#timeoutMs);
    };
    stream.on("connect", armIdleTimer);
    stream.on("streamEvent", (event) => {
      armIdleTimer();
      // Events already buffered when the call was given up are not passed on.
      if (!forward || listenerError || stalled || signal?.aborted) return;
      try {
        forward(event);
      } catch (error) {
        listenerError = { error };
        stream.abort();
      }
    });

    try {
      const message = await stream.finalMessage();
      if (signal?.aborted) throw createAbortError(signal.reason);
      return toModelResponse(message);
    } catch (error) {
      if (signal?.aborted) throw createAbortError(signal.reason);
      if (listenerError) throw listenerError.error;
      if (stalled) {
        throw new ModelError(
          "model_request_failed_error",
          `The Messages API stream sent nothing for ${this.#timeoutMs} ms.`,
          true,
        );
      }
      throw toModelError(error, this.#redact);
    } finally {
      clearTimeout(idleTimer);
    }
  }
}
