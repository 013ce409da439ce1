import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { applyAgentUpdate, contentFromRow, sameContent, versionRowData } from "./agent-content";
import { agentToWire } from "./agent-to-wire";
import { findTeamAgent } from "./find-team-agent";
import { parseBody } from "@/lib/resource/metadata";
import { resolveMultiagent } from "./resolve-multiagent";
import { ZAgentUpdateSchema } from "./schemas";
import { validateSkillRefs } from "@/lib/skills/validate-skill-refs";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

const ATTEMPTS = 5;

/**
 * `POST /v1/agents/{id}`: writes a new version when the update changes anything; an update that
 * changes nothing returns the current version as it is. With `version`, the update applies only
 * to that version: another one is a 409 naming the current version. Archived agents refuse
 * updates (400).
 *
 * Versions are written with a compare-and-set on the agent's `currentVersion`, so two concurrent
 * updates never write the same version: the loser re-reads and re-applies its update on top of
 * the winner's (or, when it sent `version`, gets the 409).
 */
export async function updateAgent(prisma: PrismaClient, options: { teamId: string; agentId: string; body: unknown }) {
  const input = parseBody(ZAgentUpdateSchema, options.body);
  await validateSkillRefs(prisma, options.teamId, input.skills);
  for (let attempt = 1; ; attempt++) {
    const agent = await findTeamAgent(prisma, options.teamId, options.agentId);
    if (agent.archivedAt) throw new AppError("invalid_request", `agent ${agent.id} is archived: archived agents cannot be updated`);
    if (input.version !== undefined && input.version !== agent.currentVersion) {
      throw new AppError("conflict", `version ${input.version} is not the current version of agent ${agent.id}: its current version is ${agent.currentVersion}`, {
        currentVersion: agent.currentVersion,
      });
    }
    const currentRow = await prisma.agentVersion.findUniqueOrThrow({ where: { agentId_version: { agentId: agent.id, version: agent.currentVersion } } });
    const current = contentFromRow(currentRow);
    const multiagent =
      input.multiagent === undefined
        ? undefined
        : await resolveMultiagent(prisma, { teamId: options.teamId, params: input.multiagent, self: { id: agent.id, version: agent.currentVersion + 1 }, stored: current.multiagent });
    const next = applyAgentUpdate(current, input, multiagent);
    if (sameContent(current, next)) return agentToWire(agent, currentRow);

    const version = agent.currentVersion + 1;
    const now = new Date();
    const written = await prisma.$transaction(async (tx) => {
      const claimed = await tx.agent.updateMany({
        where: { id: agent.id, teamId: options.teamId, currentVersion: agent.currentVersion, archivedAt: null },
        data: { currentVersion: version, updatedAt: now },
      });
      if (claimed.count === 0) return null;
      const row = await tx.agentVersion.create({ data: { agentId: agent.id, version, ...versionRowData(next), createdAt: now } });
      await recordWebhookEvent(tx, { teamId: options.teamId, subjectId: agent.id, type: "agent.updated", at: now });
      return { agent: await tx.agent.findUniqueOrThrow({ where: { id: agent.id } }), row };
    });
    if (written) return agentToWire(written.agent, written.row);
    if (attempt >= ATTEMPTS) throw new AppError("conflict", `agent ${agent.id} is being updated concurrently: retry the update`);
  }
}
