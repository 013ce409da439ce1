import { describe, expect, it } from "vitest";
import type { TMultiagent } from "@/lib/agents/agent-content";
import { mergeMultiagent20261001 } from "@/lib/agents/merge-multiagent";
import { parseBody } from "@/lib/resource/metadata";
import { ZAgentCreateSchema, type TMultiagent20261001Params } from "@/lib/agents/schemas";
import { AppError } from "@/lib/errors";

const parse = (multiagent: unknown) => parseBody(ZAgentCreateSchema, { name: "a", model: "m", multiagent }).multiagent as TMultiagent20261001Params;
const SELF = "agent_self";

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const stored: TMultiagent = {
  type: "multiagent_20261001",
  advisor: { type: "enabled", model: "adv-1" },
  subagents: { type: "enabled", inline_agents: { type: "disabled" }, predefined_agents: [{ type: "agent", id: "agent_a", version: 2 }, { type: "agent", id: SELF, version: 3 }] },
  workflows: { type: "disabled" },
};

describe("multiagent_20261001", () => {
  it("takes the defaults on create: advisor disabled, subagents enabled with inline agents, workflows disabled", () => {
    expect(mergeMultiagent20261001(null, parse({ type: "multiagent_20261001" }), SELF)).toEqual({
      type: "multiagent_20261001",
      advisor: { type: "disabled" },
      subagents: { type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [] },
      workflows: { type: "disabled" },
    });
    expect(mergeMultiagent20261001(null, parse({ type: "multiagent_20261001", advisor: { type: "enabled", model: "adv" }, subagents: null }), SELF).advisor).toEqual({
      type: "enabled",
      model: "adv",
    });
  });

  it("merges an update level by level: omitted keeps, null takes the default, a sent list replaces", () => {
    const kept = mergeMultiagent20261001(stored, parse({ type: "multiagent_20261001" }), SELF);
    expect(kept.advisor).toEqual({ type: "enabled", model: "adv-1" });
    // the stored list is kept pinned; the agent itself comes back as `self` (its new version)
    expect(kept.subagents).toEqual({ type: "enabled", inline_agents: { type: "disabled" }, predefined_agents: [{ type: "agent", id: "agent_a", version: 2 }, { type: "self" }] });

    const inner = mergeMultiagent20261001(stored, parse({ type: "multiagent_20261001", advisor: null, subagents: { type: "enabled", predefined_agents: ["agent_b"] } }), SELF);
    expect(inner.advisor).toEqual({ type: "disabled" });
    expect(inner.subagents).toEqual({ type: "enabled", inline_agents: { type: "disabled" }, predefined_agents: ["agent_b"] });

    const nulls = mergeMultiagent20261001(stored, parse({ type: "multiagent_20261001", subagents: { type: "enabled", inline_agents: null, predefined_agents: null } }), SELF);
    expect(nulls.subagents).toEqual({ type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [] });

    expect(mergeMultiagent20261001(stored, parse({ type: "multiagent_20261001", subagents: { type: "disabled" } }), SELF).subagents).toEqual({ type: "disabled" });
    // an object of another type replaces the stored one; its omitted keys take their defaults
    const disabled: TMultiagent = { ...stored, subagents: { type: "disabled" } };
    expect(mergeMultiagent20261001(disabled, parse({ type: "multiagent_20261001", subagents: { type: "enabled" } }), SELF).subagents).toEqual({
      type: "enabled",
      inline_agents: { type: "enabled" },
      predefined_agents: [],
    });
    // a stored coordinator is replaced, not merged
    const fromCoordinator = mergeMultiagent20261001({ type: "coordinator", agents: [{ type: "agent", id: "agent_a", version: 1 }] }, parse({ type: "multiagent_20261001" }), SELF);
    expect(fromCoordinator.subagents).toEqual({ type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [] });
  });

  it("refuses bad input naming the field", () => {
    expect(errorOf(() => parse({ type: "multiagent_20261001", advisor: { type: "enabled" } })).message).toMatch(/multiagent\.advisor/);
    expect(errorOf(() => parse({ type: "multiagent_20261001", workflows: { type: "enabled" } })).message).toMatch(/multiagent\.workflows.*not supported/);
    expect(parse({ type: "multiagent_20261001", workflows: { type: "disabled" } }).workflows).toEqual({ type: "disabled" });
    const many = Array.from({ length: 21 }, (_, i) => `agent_${i}`);
    expect(errorOf(() => parse({ type: "multiagent_20261001", subagents: { type: "enabled", predefined_agents: many } })).message).toMatch(
      /multiagent\.subagents\.predefined_agents.*at most 20/,
    );
    expect(errorOf(() => parse({ type: "multiagent_20261001", subagents: { type: "enabled", inline_agents: { type: "maybe" } } })).message).toMatch(/multiagent\.subagents/);
  });
});
