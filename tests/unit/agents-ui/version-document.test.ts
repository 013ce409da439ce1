import { describe, expect, it } from "vitest";
import { contentFromCreate } from "@/lib/agents/agent-content";
import { parseBody } from "@/lib/resource/metadata";
import { ZAgentCreateSchema } from "@/lib/agents/schemas";
import { diffLines, diffStats } from "@/lib/agents/ui/diff-lines";
import { parseVersionPair } from "@/lib/agents/ui/version-pair";
import { changedFields, stableJson, versionDocument } from "@/lib/agents/ui/version-document";

const agent = (body: Record<string, unknown>) => contentFromCreate(parseBody(ZAgentCreateSchema, { name: "a", model: "m", ...body }));

describe("the version document", () => {
  it("is the same text for the same content, whatever the key order", () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(stableJson({ a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }));
    expect(versionDocument(agent({ metadata: { b: "2", a: "1" } }))).toEqual(versionDocument(agent({ metadata: { a: "1", b: "2" } })));
  });

  it("leaves out what is not the version's content (id, number, dates)", () => {
    const text = versionDocument({ ...agent({}), ...{ id: "agent_x", version: 3, created_at: "2026-01-01T00:00:00Z" } }).join("\n");
    expect(text).not.toContain("agent_x");
    expect(text).not.toContain("created_at");
    expect(text).toContain('"name": "a"');
  });

  it("shows a multi-line system prompt line by line, so editing one line changes one line", () => {
    const before = versionDocument(agent({ system: "Line one.\nLine two.\nLine three." }));
    const after = versionDocument(agent({ system: "Line one.\nLine 2.\nLine three." }));
    expect(before).toContain('    "Line two.",');
    expect(diffStats(diffLines(before, after))).toEqual({ added: 1, removed: 1 });
  });

  it("names the fields two versions differ in", () => {
    expect(changedFields(agent({ system: "x" }), agent({ system: "y", tools: [{ type: "agent_toolset_20260401" }] }))).toEqual(["system prompt", "tools"]);
    expect(changedFields(agent({}), agent({}))).toEqual([]);
  });
});

describe("the versions to compare", () => {
  it("defaults to the latest version against the one before", () => {
    expect(parseVersionPair({}, 5)).toEqual({ from: 4, to: 5 });
    expect(parseVersionPair({}, 1)).toEqual({ from: 1, to: 1 });
    expect(parseVersionPair({ to: "3" }, 5)).toEqual({ from: 2, to: 3 });
  });

  it("takes any two existing versions and ignores the rest", () => {
    expect(parseVersionPair({ from: "1", to: "4" }, 5)).toEqual({ from: 1, to: 4 });
    expect(parseVersionPair({ from: "5", to: "2" }, 5)).toEqual({ from: 5, to: 2 });
    expect(parseVersionPair({ from: "0", to: "9" }, 5)).toEqual({ from: 4, to: 5 });
    expect(parseVersionPair({ from: "1.5", to: ["2", "3"] }, 5)).toEqual({ from: 4, to: 5 });
  });
});
