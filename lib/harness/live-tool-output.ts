import "server-only";
import { StringDecoder } from "node:string_decoder";
import { TOOL_OUTPUT_PREVIEW_MAX_CHARS, type TToolOutputPreview } from "@/lib/realtime/event-bus";
import type { StreamRedactor } from "@/lib/redact";
import type { TExecStream } from "@/lib/sandbox/types";

/** How often buffered output is published while a command runs. */
export const TOOL_OUTPUT_FLUSH_MS = 100;

export type TLiveToolOutputOptions = {
  toolUseId: string;
  publish(preview: TToolOutputPreview): void;
  /** One per stream: a secret split between chunks is still redacted. */
  redactor(): StreamRedactor;
  /** Most characters published for the call, both streams together. */
  maxChars?: number;
  flushMs?: number;
};

type TStreamState = { decoder: StringDecoder; redactor: StreamRedactor; pending: string };

/**
 * A running command's output as live previews: chunks are decoded, redacted of the session's
 * secrets (the same secrets as the stored result, via a stream redactor per stream), gathered and
 * published at most every `flushMs` per call, and capped at `maxChars` for the call. Decision: a
 * noisy command costs the bus and the browser a bounded amount (the cap) at a bounded rate (the
 * flush); once capped, one last preview says so and the rest waits for the result, which is
 * never replaced by the previews (they are not stored). Decision: redaction comes first, so when the
 * session has secrets, the output's last characters (the redactor's holdback: the longest form
 * a secret can take) wait for more output or for the command's end before they are shown.
 */
export class LiveToolOutput {
  private readonly streams = new Map<TExecStream, TStreamState>();
  private readonly maxChars: number;
  private readonly flushMs: number;
  private sent = 0;
  private capped = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: TLiveToolOutputOptions) {
    this.maxChars = Math.min(options.maxChars ?? TOOL_OUTPUT_PREVIEW_MAX_CHARS, TOOL_OUTPUT_PREVIEW_MAX_CHARS);
    this.flushMs = options.flushMs ?? TOOL_OUTPUT_FLUSH_MS;
  }

  /** The sandbox's `onOutput`. */
  readonly push = (stream: TExecStream, chunk: Buffer): void => {
    if (this.closed || this.capped) return;
    const state = this.stream(stream);
    state.pending += state.redactor.push(state.decoder.write(chunk));
    // held back in bounded memory: beyond what can still be published, nothing is kept
    if (state.pending.length > this.maxChars) state.pending = state.pending.slice(0, this.maxChars);
    if (!this.timer && state.pending.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref?.();
    }
  };

  /** Publishes what is gathered, within the cap. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [stream, state] of this.streams) {
      if (this.capped || state.pending.length === 0) continue;
      const room = this.maxChars - this.sent;
      const text = state.pending.slice(0, room);
      const truncated = state.pending.length > room;
      state.pending = "";
      this.sent += text.length;
      if (truncated) this.capped = true;
      this.options.publish({ type: "tool_output", tool_use_id: this.options.toolUseId, stream, text, ...(truncated ? { truncated: true } : {}) });
    }
  }

  /** The command ended: releases what the decoders and redactors held back, publishes it, and stops. */
  close(): void {
    if (this.closed) return;
    if (!this.capped) {
      for (const state of this.streams.values()) state.pending += state.redactor.push(state.decoder.end()) + state.redactor.end();
    }
    this.flush();
    this.closed = true;
  }

  private stream(stream: TExecStream): TStreamState {
    let state = this.streams.get(stream);
    if (!state) this.streams.set(stream, (state = { decoder: new StringDecoder("utf8"), redactor: this.options.redactor(), pending: "" }));
    return state;
  }
}
