import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { contentFromCreate, versionRowData } from "./agent-content";
import { agentToWire } from "./agent-to-wire";
import { parseBody } from "@/lib/resource/metadata";
import { resolveMultiagent } from "./resolve-multiagent";
import { ZAgentCreateSchema } from "./schemas";
import { validateSkillRefs } from "@/lib/skills/validate-skill-refs";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";

/** `POST /v1/agents`: validates the body and writes the agent with its version 1. */
export async function createAgent(prisma: PrismaClient, options: { teamId: string; body: unknown }) {
  const input = parseBody(ZAgentCreateSchema, options.body);
  await validateSkillRefs(prisma, options.teamId, input.skills);
  const now = new Date();
  const id = newId("agent", now.getTime());
  const multiagent = input.multiagent ? await resolveMultiagent(prisma, { teamId: options.teamId, params: input.multiagent, self: { id, version: 1 } }) : null;
  const content = contentFromCreate(input, multiagent);
  // the agent.created webhook commits with the agent
  const [agent] = await prisma.$transaction([
    prisma.agent.create({
      data: {
        id,
        teamId: options.teamId,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
        versions: { create: { version: 1, ...versionRowData(content), createdAt: now } },
      },
      include: { versions: true },
    }),
    recordWebhookEvent(prisma, { teamId: options.teamId, subjectId: id, type: "agent.created", at: now }),
  ]);
  return agentToWire(agent, agent.versions[0]!);
}
