import { AnthropicModelClient, type TAnthropicModelClientOptions } from "./anthropic-model-client";
import { DemoModelClient, type TDemoModelClientOptions } from "./demo-model-client";
import type { ModelClient } from "./types";

export type TModelEnv = { ANTHROPIC_API_KEY?: string; ANTHROPIC_BASE_URL?: string };

export type TCreateModelClientOptions = {
  anthropic?: Omit<TAnthropicModelClientOptions, "apiKey" | "baseURL">;
  demo?: TDemoModelClientOptions;
};

/** The Messages API when an API key is configured; otherwise the built-in demo model. */
export function createModelClient(env: TModelEnv, options: TCreateModelClientOptions = {}): ModelClient {
  if (env.ANTHROPIC_API_KEY) {
    return new AnthropicModelClient({
      ...options.anthropic,
      apiKey: env.ANTHROPIC_API_KEY,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    });
  }
  return new DemoModelClient(options.demo);
}
