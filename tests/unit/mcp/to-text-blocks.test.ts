import { describe, expect, it } from "vitest";
import { toTextBlocks } from "@/lib/mcp/to-text-blocks";

describe("toTextBlocks", () => {
  it("keeps text, describes what is not text, and carries isError", () => {
    const result = toTextBlocks({
      isError: true,
      content: [
        { type: "text", text: "hello" },
        { type: "image", mimeType: "image/png", data: "AAAA" },
        { type: "resource_link", uri: "file:///a.txt", name: "a" },
        { type: "resource", resource: { uri: "file:///b.txt", text: "inline text" } },
      ],
    });
    expect(result).toEqual({
      isError: true,
      content: [
        { type: "text", text: "hello" },
        { type: "text", text: "[image image/png, 3 bytes, not shown]" },
        { type: "text", text: "[resource file:///a.txt (a)]" },
        { type: "text", text: "inline text" },
      ],
    });
  });

  it("falls back to structuredContent, and fits the log's 100-block limit", () => {
    expect(toTextBlocks({ content: [], structuredContent: { n: 1 } }).content).toEqual([{ type: "text", text: '{"n":1}' }]);
    const many = toTextBlocks({ content: Array.from({ length: 150 }, (_, i) => ({ type: "text", text: String(i) })) });
    expect(many.content).toHaveLength(100);
    expect(many.content[99]!.text.split("\n")).toHaveLength(51);
    expect(many.isError).toBe(false);
  });
});
