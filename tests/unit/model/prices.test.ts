import { describe, expect, it } from "vitest";
import { DEMO_MODEL_ID, listCostNanoUsd, MODEL_PRICES, modelPrice, PRICES_AS_OF } from "@/lib/model/prices";

const usage = (input: number, output: number, cacheWrite = 0, cacheRead = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: cacheWrite,
  cache_read_input_tokens: cacheRead,
});

describe("the price table", () => {
  it("is dated and prices the Claude 4 models the SDK names", () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const model of ["claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5", "claude-sonnet-4-6", "claude-sonnet-4-5", "claude-haiku-4-5"]) {
      expect(modelPrice(model), model).not.toBeNull();
    }
    expect(modelPrice("claude-opus-4-6")).toEqual({ input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 });
    expect(modelPrice("claude-opus-4-1")).toMatchObject({ input: 15, output: 75 });
    expect(modelPrice("claude-sonnet-4-6")).toMatchObject({ input: 3, output: 15, cacheWrite5m: 3.75, cacheRead: 0.3 });
    expect(modelPrice("claude-haiku-4-5")).toMatchObject({ input: 1, output: 5, cacheWrite5m: 1.25, cacheRead: 0.1 });
  });

  it("prices a dated snapshot as its model, and nothing else by resemblance", () => {
    expect(modelPrice("claude-haiku-4-5-20251001")).toBe(MODEL_PRICES["claude-haiku-4-5"]);
    expect(modelPrice("claude-opus-4-5-20251101")).toBe(MODEL_PRICES["claude-opus-4-5"]);
    // an unknown model is unknown: never the price of a neighbour
    expect(modelPrice("claude-opus-4-9")).toBeNull();
    expect(modelPrice("claude-sonnet-4-6-preview")).toBeNull();
    expect(modelPrice("claude-e2e")).toBeNull();
    expect(modelPrice("toString")).toBeNull();
    expect(modelPrice(null)).toBeNull();
  });

  it("keeps every price a whole number of nano-dollars per token", () => {
    for (const [model, price] of Object.entries(MODEL_PRICES)) {
      for (const dollars of Object.values(price)) expect(Number.isInteger(dollars * 1000), `${model}: ${dollars}`).toBe(true);
    }
  });
});

describe("listCostNanoUsd", () => {
  it("prices input, output, cache writes and cache reads at the model's list price", () => {
    // 1,000,000 tokens of each at Sonnet 4.6: $3 + $15 + $3.75 + $0.30
    expect(listCostNanoUsd("claude-sonnet-4-6", usage(1e6, 1e6, 1e6, 1e6))).toBe(22.05e9);
    // 1200 in, 80 out, 1000 cache write at Haiku 4.5: 1200×1000 + 80×5000 + 1000×1250 nano-dollars
    expect(listCostNanoUsd("claude-haiku-4-5", usage(1200, 80, 1000))).toBe(1_200_000 + 400_000 + 1_250_000);
    expect(listCostNanoUsd("claude-opus-4-8", usage(0, 0, 0, 2000))).toBe(2000 * 500);
  });

  it("is null for a model without a list price, 0 for the demo model and for a request that used nothing", () => {
    expect(listCostNanoUsd("claude-e2e", usage(10, 10))).toBeNull();
    expect(listCostNanoUsd(DEMO_MODEL_ID, usage(5000, 700))).toBe(0);
    expect(listCostNanoUsd("claude-e2e", usage(0, 0))).toBe(0);
  });
});
