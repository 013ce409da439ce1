import type { Locator, Page } from "@playwright/test";

/** The session page's "Timeline" tab: a waterfall of turns, model requests and tool calls. */
export class SessionWaterfall {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole("region", { name: "Turns, model requests and tool calls" });
  }
  get turns(): Locator {
    return this.region.getByTestId("waterfall-turn");
  }
  /** The rows of one kind: `model_request` or `tool_call`. */
  spans(kind: "model_request" | "tool_call"): Locator {
    return this.region.locator(`[data-span="${kind}"]`);
  }
  /** What each row of a kind says besides its name: duration, tokens, state. */
  facts(kind: "model_request" | "tool_call"): Promise<string[]> {
    return this.spans(kind).getByTestId("span-facts").allTextContents();
  }
  /** The bar of each row of a kind, as drawn: its left edge and width in pixels. */
  bars(kind: "model_request" | "tool_call"): Promise<Array<{ x: number; width: number }>> {
    return this.spans(kind).evaluateAll((rows) =>
      rows.map((row) => {
        const bar = row.querySelector("[data-testid=bar]")!.getBoundingClientRect();
        return { x: bar.x, width: bar.width };
      }),
    );
  }
}
