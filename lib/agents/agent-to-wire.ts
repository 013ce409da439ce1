import type { Agent, AgentVersion } from "@/lib/generated/prisma/client";
import { contentFromRow } from "./agent-content";

/**
 * The Agent object of the Managed Agents API (reference §2.1) for one version of an agent.
 * `updated_at` is when that version was written, except that the current version's is the
 * agent's, which archiving also moves. `archived_at` is the agent's, whichever version is shown.
 */
export function agentToWire(agent: Agent, version: AgentVersion) {
  const content = contentFromRow(version);
  const current = version.version === agent.currentVersion;
  return {
    id: agent.id,
    type: "agent" as const,
    ...content,
    version: version.version,
    created_at: agent.createdAt.toISOString(),
    updated_at: (current ? agent.updatedAt : version.createdAt).toISOString(),
    archived_at: agent.archivedAt?.toISOString() ?? null,
  };
}

export type TWireAgent = ReturnType<typeof agentToWire>;
