import type { TSessionUsage } from "@/lib/event-log/fold";

/**
 * An *estimate* of what a session's model usage costs, from list prices per model family. It is
 * not a bill: prices change, discounts and batch pricing are ignored, and a model whose family is
 * not in the table has no estimate at all (null) rather than a guessed one.
 */
export type TModelFamily = "opus" | "sonnet" | "haiku";

/** The token counts of a usage (a request's or a session's). */
export type TTokenUsage = Pick<TSessionUsage, "input_tokens" | "output_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens">;

/** US dollars per million tokens. Cache writes are 1.25× input, cache reads 0.1× input. */
export type TPrice = { input: number; output: number; cacheWrite: number; cacheRead: number };

export const PRICE_TABLE: Readonly<Record<TModelFamily, TPrice>> = Object.freeze({
  opus: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  sonnet: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  haiku: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
});

export const COST_ESTIMATE_LABEL = "Estimated from list prices per model family; not a bill.";

/** The family of a model name (`claude-sonnet-4-5`, `claude-3-5-haiku-latest`, or just `opus`), or null. */
export function modelFamily(model: string | null | undefined): TModelFamily | null {
  if (!model) return null;
  const name = model.toLowerCase();
  for (const family of ["opus", "sonnet", "haiku"] as const) {
    if (name.includes(family)) return family;
  }
  return null;
}

/** Estimated US dollars for `usage` at the family's prices; null when the family is unknown. */
export function estimateCostUsd(usage: TTokenUsage, family: TModelFamily | null): number | null {
  if (!family) return null;
  const price = PRICE_TABLE[family];
  const dollars =
    usage.input_tokens * price.input +
    usage.output_tokens * price.output +
    usage.cache_creation_input_tokens * price.cacheWrite +
    usage.cache_read_input_tokens * price.cacheRead;
  return dollars / 1_000_000;
}

/** `$0.0123`, `$1.24`: enough digits to see small sessions move. */
export function formatUsd(dollars: number): string {
  if (dollars === 0) return "$0.00";
  if (dollars < 0.01) return `$${dollars.toFixed(4)}`;
  if (dollars < 1) return `$${dollars.toFixed(3)}`;
  return `$${dollars.toFixed(2)}`;
}
