import { throwIfAborted, untilAborted } from "./abort";
import { defaultStopReason, estimateUsage } from "./estimate-usage";
import { splitInChunks, streamContentBlocks } from "./stream-content-blocks";
import type {
  ModelClient,
  ModelError,
  TModelContentBlock,
  TModelRequest,
  TModelResponse,
  TModelUsage,
  TStreamOptions,
} from "./types";

/** A scripted answer: the blocks the model returns, streamed through `onDelta` first. */
export type TScriptedContentTurn = {
  content: TModelContentBlock[];
  /** Default: "tool_use" when the content holds a tool_use block, else "end_turn". */
  stopReason?: string;
  /** Unset counters are estimated (four characters per token); cache counters default to 0. */
  usage?: Partial<TModelUsage>;
  /** Default 0. */
  firstTokenDelayMs?: number;
  /** Default 0. */
  chunkDelayMs?: number;
};

/** One scripted model response. */
export type TScriptedTurn =
  | TScriptedContentTurn
  /** The call rejects with this error. */
  | { error: ModelError }
  /** The call never answers; it rejects with an AbortError once its signal aborts. */
  | { hang: true };

/** Decides the turn of call number `callIndex` (0-based). */
export type TScriptedResponder = (request: TModelRequest, callIndex: number) => TScriptedTurn | Promise<TScriptedTurn>;

export type TScriptedCall = {
  /** A deep copy of the request, as it was when the call was made. */
  request: TModelRequest;
  /** Milliseconds since the epoch. */
  startedAt: number;
};

/** Pieces each text or thinking block is streamed in. */
const CHUNKS_PER_BLOCK = 3;

let toolUseCount = 0;

export function textTurn(text: string): TScriptedContentTurn {
  return { content: [{ type: "text", text }] };
}

export function toolUseTurn(
  name: string,
  input: Record<string, unknown>,
  options: { id?: string; text?: string } = {},
): TScriptedContentTurn {
  const toolUse: TModelContentBlock = { type: "tool_use", id: options.id ?? `toolu_scripted_${++toolUseCount}`, name, input };
  return { content: options.text === undefined ? [toolUse] : [{ type: "text", text: options.text }, toolUse] };
}

/**
 * A model for tests: answers from a list of turns (then `enqueue`d ones) or from a responder, does
 * no I/O, and records every call. A call the script has no turn for rejects with an error naming
 * its index, so an unexpected extra model call fails the test.
 */
export class ScriptedModelClient implements ModelClient {
  readonly description = "scripted model";
  readonly calls: TScriptedCall[] = [];
  readonly #turns: TScriptedTurn[];
  readonly #respond: TScriptedResponder | undefined;
  #scripted = 0;

  constructor(script: TScriptedTurn[] | TScriptedResponder = []) {
    this.#turns = typeof script === "function" ? [] : [...script];
    this.#respond = typeof script === "function" ? script : undefined;
    this.#scripted = this.#turns.length;
  }

  /** Adds turns after those already scripted (used before the responder, if there is one). */
  enqueue(...turns: TScriptedTurn[]): void {
    this.#turns.push(...turns);
    this.#scripted += turns.length;
  }

  /** Turns not consumed yet. */
  pendingTurns(): number {
    return this.#turns.length;
  }

  async stream(request: TModelRequest, options: TStreamOptions = {}): Promise<TModelResponse> {
    const callIndex = this.calls.length;
    this.calls.push({ request: structuredClone(request), startedAt: Date.now() });
    throwIfAborted(options.signal);

    const turn = await this.#nextTurn(request, callIndex);
    if ("error" in turn) throw turn.error;
    if ("hang" in turn) return untilAborted(options.signal);

    await streamContentBlocks(turn.content, {
      signal: options.signal,
      onDelta: options.onDelta,
      firstTokenDelayMs: turn.firstTokenDelayMs ?? 0,
      chunkDelayMs: turn.chunkDelayMs ?? 0,
      split: (text) => splitInChunks(text, CHUNKS_PER_BLOCK),
    });
    const content = structuredClone(turn.content);
    return {
      content,
      stopReason: turn.stopReason ?? defaultStopReason(content),
      usage: { ...estimateUsage(request, content), ...turn.usage },
    };
  }

  async #nextTurn(request: TModelRequest, callIndex: number): Promise<TScriptedTurn> {
    const queued = this.#turns.shift();
    if (queued) return queued;
    if (this.#respond) return this.#respond(structuredClone(request), callIndex);
    throw new Error(
      `ScriptedModelClient: no turn scripted for model call #${callIndex} (0-based); ` +
        `${this.#scripted} turn${this.#scripted === 1 ? " was" : "s were"} scripted.`,
    );
  }
}
