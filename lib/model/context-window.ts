/**
 * How many tokens a model's context holds, and when a thread's context is compacted: at
 * COMPACT_AT of it, so the summary request itself (the whole context plus an instruction) still fits,
 * with room for the summary. Decision: every Claude model we list takes 200,000 tokens of input
 * (1M-token windows need a beta header this server does not send); a model we do not know is
 * taken to have the same.
 */
export const DEFAULT_CONTEXT_WINDOW_TOKENS = 200_000;
export const COMPACT_AT = 0.8;

export function contextWindowTokens(_model: string): number {
  return DEFAULT_CONTEXT_WINDOW_TOKENS;
}

/** The size of context (prompt and answer of the latest request, in tokens) from which a thread is compacted. */
export function compactAtTokens(model: string): number {
  return Math.floor(contextWindowTokens(model) * COMPACT_AT);
}
