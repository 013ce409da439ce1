import { describe, expect, it } from "vitest";
import { MAX_MODEL_TOOL_NAME, mcpModelToolName } from "@/lib/mcp/tool-names";

describe("mcpModelToolName", () => {
  it("is <server>__<tool> when that is a valid, unambiguous name", () => {
    expect(mcpModelToolName("github", "create_issue")).toBe("github__create_issue");
    expect(mcpModelToolName("my-docs_v2", "search")).toBe("my-docs_v2__search");
  });

  it("hashes names that would be invalid, too long or ambiguous, keeping them distinct and valid", () => {
    const names = [
      mcpModelToolName("a_", "_b"), // plain form "a____b" …
      mcpModelToolName("a", "__b"), // … would collide with this one
      mcpModelToolName("my server", "search.all"),
      mcpModelToolName("x".repeat(60), "tool"),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(name.length).toBeLessThanOrEqual(MAX_MODEL_TOOL_NAME);
    }
    expect(names[2]).toMatch(/^my_server__search_all_[0-9a-f]{10}$/);
  });

  it("does not take the name of one of the agent's own tools, and is stable", () => {
    const reserved = new Set(["github__create_issue"]);
    const name = mcpModelToolName("github", "create_issue", reserved);
    expect(name).not.toBe("github__create_issue");
    expect(mcpModelToolName("github", "create_issue", reserved)).toBe(name);
  });
});
