import { sleep, throwIfAborted } from "./abort";
import type { TModelContentBlock, TModelDelta } from "./types";

export type TStreamContentOptions = {
  signal?: AbortSignal;
  onDelta?: (delta: TModelDelta) => void;
  /** Wait before the first block starts. */
  firstTokenDelayMs: number;
  /** Wait between two consecutive text/thinking pieces. */
  chunkDelayMs: number;
  /** How a text is cut into the pieces sent as deltas (their concatenation must be the text). */
  split: (text: string) => string[];
};

/**
 * Plays a finished answer through `onDelta` the way a streaming model produces it: `block_start`
 * for every block, then its text or thinking piece by piece. Rejects with an AbortError as soon as
 * `signal` aborts, between any two pieces.
 */
export async function streamContentBlocks(content: TModelContentBlock[], options: TStreamContentOptions): Promise<void> {
  const { signal, onDelta } = options;
  await sleep(options.firstTokenDelayMs, signal);
  let first = true;
  for (const [index, block] of content.entries()) {
    throwIfAborted(signal);
    onDelta?.({ type: "block_start", index, blockType: block.type });
    if (block.type === "tool_use") continue;
    const text = block.type === "text" ? block.text : block.thinking;
    for (const piece of options.split(text)) {
      if (!first) await sleep(options.chunkDelayMs, signal);
      first = false;
      onDelta?.({ type: block.type, index, text: piece });
    }
  }
  throwIfAborted(signal);
}

/** Word by word, each word with the whitespace that follows it. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

/** Into at most `count` pieces of similar length, never cutting a surrogate pair. */
export function splitInChunks(text: string, count: number): string[] {
  const points = Array.from(text);
  const size = Math.max(1, Math.ceil(points.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(""));
  return pieces;
}
