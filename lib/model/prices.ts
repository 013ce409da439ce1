import type { TModelUsage } from "./types";

/**
 * List prices of the Claude models, per million tokens, in US dollars: the one table that prices a
 * model request (the harness records each request's list cost on its `span.model_request_end`, and
 * the session's `usage.list_cost` is their sum; see lib/event-log/usage.ts).
 *
 * Taken from Anthropic's public pricing page (platform.claude.com/docs/en/about-claude/pricing) on
 * `PRICES_AS_OF`. List prices only: no negotiated discount, no Batch API discount, no long-context
 * (> 200K input tokens) or data-residency surcharge. Cache writes are priced at the 5-minute rate,
 * the lifetime the harness asks for (`cache_control: {type: "ephemeral"}`); the 1-hour rate is kept
 * for completeness.
 *
 * Decision: a model that is not in the table has no price (`null`), never a guess from a similar
 * name. Its requests make the session's list cost unknown (`list_cost: null`), and a session that
 * would run it cannot be given a budget (`model_not_budgetable`). Dated ids (`…-20251001`) take the
 * price of the model they pin. The built-in demo model is free.
 */
export const PRICES_AS_OF = "2026-12-07";

/** US dollars per million tokens. */
export type TModelPrice = {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
};

/** The model id `DemoModelClient` answers as: it costs nothing. */
export const DEMO_MODEL_ID = "demo";

const OPUS_4_5_ON: TModelPrice = { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 };
const OPUS_4_0_4_1: TModelPrice = { input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5 };
const SONNET_4: TModelPrice = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };
const HAIKU_4_5: TModelPrice = { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 };
const FREE: TModelPrice = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

export const MODEL_PRICES: Readonly<Record<string, TModelPrice>> = Object.freeze({
  "claude-opus-4-8": OPUS_4_5_ON,
  "claude-opus-4-7": OPUS_4_5_ON,
  "claude-opus-4-6": OPUS_4_5_ON,
  "claude-opus-4-5": OPUS_4_5_ON,
  "claude-opus-4-1": OPUS_4_0_4_1,
  "claude-opus-4-0": OPUS_4_0_4_1,
  "claude-opus-4": OPUS_4_0_4_1,
  "claude-sonnet-4-6": SONNET_4,
  "claude-sonnet-4-5": SONNET_4,
  "claude-sonnet-4-0": SONNET_4,
  "claude-sonnet-4": SONNET_4,
  "claude-haiku-4-5": HAIKU_4_5,
  [DEMO_MODEL_ID]: FREE,
});

/** `claude-haiku-4-5-20251001` → `claude-haiku-4-5`: a date suffix pins a snapshot of the same model. */
const DATED = /^(.+)-\d{8}$/;

/** The list price of `model`, or null when the table has none. */
export function modelPrice(model: string | null | undefined): TModelPrice | null {
  if (!model) return null;
  const id = model.trim().toLowerCase();
  const exact = Object.hasOwn(MODEL_PRICES, id) ? MODEL_PRICES[id]! : null;
  if (exact) return exact;
  const dated = DATED.exec(id);
  return dated && Object.hasOwn(MODEL_PRICES, dated[1]!) ? MODEL_PRICES[dated[1]!]! : null;
}

/** Nano-dollars (10⁻⁹ USD) per token of a price in dollars per million tokens: an integer for every listed price. */
const nanoPerToken = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1000);

/**
 * The list cost of one request's usage in nano-dollars (10⁻⁹ USD, an integer, so sums never
 * round), or null when `model` has no list price. A request that used no tokens costs 0 whatever
 * the model.
 */
export function listCostNanoUsd(model: string | null | undefined, usage: TModelUsage): number | null {
  const tokens = usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  if (tokens === 0) return 0;
  const price = modelPrice(model);
  if (!price) return null;
  return (
    usage.input_tokens * nanoPerToken(price.input) +
    usage.output_tokens * nanoPerToken(price.output) +
    usage.cache_creation_input_tokens * nanoPerToken(price.cacheWrite5m) +
    usage.cache_read_input_tokens * nanoPerToken(price.cacheRead)
  );
}
