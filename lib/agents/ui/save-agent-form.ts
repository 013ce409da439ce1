import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createAgent } from "@/lib/agents/create-agent";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";
import { updateAgent } from "@/lib/agents/update-agent";
import { AppError } from "@/lib/errors";
import { agentCreateBody, agentFieldOfPath, agentUpdateBody, type TAgentFormInput } from "./agent-form";
import { withFormField } from "./form-field-errors";

/**
 * The agent form's use-cases: the form's values become the API's request body and go through the
 * same use-cases, with the same validation, as `POST /v1/agents`. A refused field comes back as an
 * AppError naming the form's field (`details.field`).
 */
export async function createAgentFromForm(prisma: PrismaClient, options: { teamId: string; form: TAgentFormInput }) {
  const { body, owners } = agentCreateBody(options.form);
  try {
    return await createAgent(prisma, { teamId: options.teamId, body });
  } catch (error) {
    throw withFormField(error, (path) => agentFieldOfPath(path, owners));
  }
}

/**
 * Saves the form as the next version of the agent. `version` is the version the form was loaded
 * from: what the form does not edit is taken from it, and when the agent has a newer version by
 * now nothing is written (a conflict on the `version` field, with the current version number).
 * `changed` is false when the form changed nothing (no version is written then).
 */
export async function updateAgentFromForm(prisma: PrismaClient, options: { teamId: string; agentId: string; version: number; form: TAgentFormInput }) {
  const { teamId, agentId, version } = options;
  const loaded = await getAgentSnapshot(prisma, { teamId, agentId, version });
  const { body, owners } = agentUpdateBody(options.form, loaded);
  try {
    const agent = await updateAgent(prisma, { teamId, agentId, body });
    return { agent, changed: agent.version !== loaded.version };
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict" && typeof error.details?.currentVersion === "number") throw staleVersion(version, error.details.currentVersion);
    throw withFormField(error, (path) => agentFieldOfPath(path, owners));
  }
}

function staleVersion(loaded: number, current: number): AppError {
  return new AppError(
    "conflict",
    `This agent was changed while you were editing it: you started from version ${loaded}, and it is now at version ${current}. Nothing was saved. Reload the agent to see its latest version, then make your changes again.`,
    { field: "version", currentVersion: current },
  );
}
