import { throwIfAborted } from "./abort";
import { decideDemoReply } from "./decide-demo-reply";
import { DEMO_MODEL_ID } from "./prices";
import { defaultStopReason, estimateUsage } from "./estimate-usage";
import { splitWords, streamContentBlocks } from "./stream-content-blocks";
import type { ModelClient, TModelRequest, TModelResponse, TStreamOptions } from "./types";

export type TDemoModelClientOptions = {
  /** Pause before the answer starts. Default 150 ms. */
  firstTokenDelayMs?: number;
  /** Pause between two words. Default 15 ms. */
  chunkDelayMs?: number;
};

export const DEMO_MODEL_DESCRIPTION = "Built-in demo model (no ANTHROPIC_API_KEY set)";

/**
 * The model a fresh install answers with when no API key is configured: deterministic, streams its
 * answer word by word, and can drive the bash and write tools so the product can be tried end to
 * end. See `decideDemoReply` for what it understands.
 */
export class DemoModelClient implements ModelClient {
  readonly description = DEMO_MODEL_DESCRIPTION;
  readonly #firstTokenDelayMs: number;
  readonly #chunkDelayMs: number;

  constructor(options: TDemoModelClientOptions = {}) {
    this.#firstTokenDelayMs = options.firstTokenDelayMs ?? 150;
    this.#chunkDelayMs = options.chunkDelayMs ?? 15;
  }

  async stream(request: TModelRequest, options: TStreamOptions = {}): Promise<TModelResponse> {
    throwIfAborted(options.signal);
    const content = decideDemoReply(request);
    await streamContentBlocks(content, {
      signal: options.signal,
      onDelta: options.onDelta,
      firstTokenDelayMs: this.#firstTokenDelayMs,
      chunkDelayMs: this.#chunkDelayMs,
      split: splitWords,
    });
    return { model: DEMO_MODEL_ID, content, stopReason: defaultStopReason(content), usage: estimateUsage(request, content) };
  }
}
