import { describe, expect, it } from "vitest";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { createModelClient } from "@/lib/model/create-model-client";
import { DemoModelClient } from "@/lib/model/demo-model-client";

describe("createModelClient", () => {
  it("uses the built-in demo model without an API key", () => {
    const client = createModelClient({});
    expect(client).toBeInstanceOf(DemoModelClient);
    expect(client.description).toBe("Built-in demo model (no ANTHROPIC_API_KEY set)");
    expect(createModelClient({ ANTHROPIC_API_KEY: "" })).toBeInstanceOf(DemoModelClient);
  });

  it("uses the Anthropic API with a key, at the configured base URL", () => {
    const client = createModelClient({ ANTHROPIC_API_KEY: "sk-test", ANTHROPIC_BASE_URL: "http://127.0.0.1:4010" });
    expect(client).toBeInstanceOf(AnthropicModelClient);
    expect(client.description).toBe("Anthropic API at http://127.0.0.1:4010");
    expect(createModelClient({ ANTHROPIC_API_KEY: "sk-test" }).description).toBe(
      "Anthropic API at https://api.anthropic.com",
    );
  });
});
