import type { TMultiagent, TMultiagent20261001 } from "./agent-content";
import type { TMultiagent20261001Params } from "./schemas";

type TPredefinedParams = NonNullable<Extract<NonNullable<TMultiagent20261001Params["subagents"]>, { type: "enabled" }>["predefined_agents"]>;

/** A `multiagent_20261001` with every key resolved but its predefined agents not yet resolved to versions. */
export type TMergedMultiagent20261001 = Omit<TMultiagent20261001, "subagents"> & {
  subagents: { type: "enabled"; inline_agents: { type: "enabled" | "disabled" }; predefined_agents: TPredefinedParams } | { type: "disabled" };
};

/**
 * The `multiagent_20261001` that create or update asks for, as the SDK describes it
 * (`BetaManagedAgentsMultiagent20261001Params`): on create, and on an update whose stored
 * `multiagent` is of another type, omitted and null keys take their defaults (advisor disabled,
 * subagents enabled with inline agents enabled and no predefined agents, workflows disabled: this
 * server does not run workflows). On an update of a stored `multiagent_20261001` the params merge
 * into it level by level: an omitted key keeps its stored value, null takes its default, an
 * object of another `type` replaces the stored one (its omitted keys take their defaults), a
 * `predefined_agents` list that is sent replaces the stored one. Stored predefined agents that are
 * kept stay pinned to their versions; the agent itself among them is kept as `self` (its new version).
 */
export function mergeMultiagent20261001(
  stored: TMultiagent | null,
  params: TMultiagent20261001Params,
  selfId: string,
): TMergedMultiagent20261001 {
  const base = stored?.type === "multiagent_20261001" ? stored : null;
  const advisor = params.advisor === undefined && base ? base.advisor : (params.advisor ?? { type: "disabled" as const });

  let subagents: TMergedMultiagent20261001["subagents"];
  const storedSubagents = base?.subagents;
  const sent = params.subagents;
  if (sent === undefined && storedSubagents) {
    subagents = storedSubagents.type === "enabled" ? { ...storedSubagents, predefined_agents: keepPinned(storedSubagents.predefined_agents, selfId) } : storedSubagents;
  } else if (sent === undefined || sent === null) {
    subagents = { type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [] };
  } else if (sent.type === "disabled") {
    subagents = { type: "disabled" };
  } else {
    const same = storedSubagents?.type === "enabled" ? storedSubagents : null;
    const inline = sent.inline_agents === undefined && same ? same.inline_agents : (sent.inline_agents ?? { type: "enabled" as const });
    const predefined = sent.predefined_agents === undefined && same ? keepPinned(same.predefined_agents, selfId) : (sent.predefined_agents ?? []);
    subagents = { type: "enabled", inline_agents: { type: inline.type }, predefined_agents: predefined };
  }
  return { type: "multiagent_20261001", advisor: advisor.type === "enabled" ? { type: "enabled", model: advisor.model } : { type: "disabled" }, subagents, workflows: { type: "disabled" } };
}

function keepPinned(refs: readonly { type: "agent"; id: string; version: number }[], selfId: string): TPredefinedParams {
  return refs.map((ref) => (ref.id === selfId ? { type: "self" as const } : { type: "agent" as const, id: ref.id, version: ref.version }));
}
