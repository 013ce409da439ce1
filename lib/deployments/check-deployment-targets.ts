import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";
import { findTeamEnvironment } from "@/lib/environments/find-team-environment";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { fileMountPath } from "@/lib/sessions/resources/file-mount-path";
import { assertBudgetable } from "@/lib/sessions/session-budget";
import type { TDeploymentCreate } from "./schemas";

/** The agent parameter a deployment keeps: the one sent, its version resolved (the latest when none was named). */
export type TDeploymentAgent = Exclude<TDeploymentCreate["agent"], string> & { version: number };

type TTargets = Pick<TDeploymentCreate, "agent" | "environment_id" | "vault_ids" | "resources"> & { budget?: unknown };

/**
 * What a deployment names, checked against the team: the agent (resolved to a version), the
 * environment, the vaults, the memory stores and files of its resources, and that a budget can
 * measure the agent's model (`model_not_budgetable`). Another team's id reads
 * like an unknown one (404); an archived one is a 400; each error names its field (`details.path`)
 * and carries the run error type a run would record for it (`details.runError`, SDK 1.17
 * `BetaManagedAgentsDeploymentRun.error.type`), so the same check serves create/update (an error
 * response) and a run (a run with an error). Write-only repository tokens are refused: a deployment
 * would have to keep them, and it keeps nothing secret.
 */
export async function checkDeploymentTargets(prisma: PrismaClient, teamId: string, targets: TTargets): Promise<TDeploymentAgent> {
  const ref = typeof targets.agent === "string" ? { type: "agent" as const, id: targets.agent } : targets.agent;
  const agent = await getAgentSnapshot(prisma, { teamId, agentId: ref.id, version: ref.version }).catch((error: unknown) => {
    throw error instanceof AppError ? refusal(error.code, `agent: ${error.message}`, "agent", "session_creation_rejected_error") : error;
  });
  if (agent.archived_at) throw refusal("invalid_request", `agent: agent ${ref.id} is archived`, "agent", "agent_archived_error");
  if (targets.budget) {
    const model = "model" in ref && ref.model !== undefined ? (typeof ref.model === "string" ? { id: ref.model } : ref.model) : agent.model;
    assertBudgetable({ ...agent, model });
  }

  const environment = await findTeamEnvironment(prisma, teamId, targets.environment_id).catch((error: unknown) => {
    throw error instanceof AppError ? refusal(error.code, `environment_id: ${error.message}`, "environment_id", "environment_not_found_error") : error;
  });
  if (environment.archivedAt) throw refusal("invalid_request", `environment_id: environment ${environment.id} is archived`, "environment_id", "environment_archived_error");

  const vaultIds = targets.vault_ids ?? [];
  const vaults = await prisma.vault.findMany({ where: { id: { in: vaultIds.filter((id) => isId("vault", id)) }, teamId }, select: { id: true, archivedAt: true } });
  vaultIds.forEach((id, i) => {
    const vault = vaults.find((v) => v.id === id);
    if (!vault) throw refusal("not_found", `vault_ids[${i}]: vault ${id.slice(0, 64)} not found`, `vault_ids[${i}]`, "vault_not_found_error");
    if (vault.archivedAt) throw refusal("invalid_request", `vault_ids[${i}]: vault ${id} is archived`, `vault_ids[${i}]`, "vault_archived_error");
  });

  for (const [i, resource] of (targets.resources ?? []).entries()) {
    if (resource.type === "github_repository" && resource.authorization_token !== undefined) {
      throw refusal("invalid_request", `resources[${i}].authorization_token: not accepted on a deployment (it keeps no secrets); give the repository's token through a vault`, `resources[${i}].authorization_token`, "session_creation_rejected_error");
    }
    if (resource.type === "memory_store") {
      const path = `resources[${i}].memory_store_id`;
      const store = isId("memoryStore", resource.memory_store_id) ? await prisma.memoryStore.findFirst({ where: { id: resource.memory_store_id, teamId }, select: { archivedAt: true } }) : null;
      if (!store) throw refusal("not_found", `${path}: memory store ${resource.memory_store_id.slice(0, 64)} not found`, path, "session_resource_not_found_error");
      if (store.archivedAt) throw refusal("invalid_request", `${path}: memory store ${resource.memory_store_id} is archived`, path, "memory_store_archived_error");
    }
    if (resource.type === "file") {
      const path = `resources[${i}].file_id`;
      const file = isId("file", resource.file_id) ? await prisma.file.findFirst({ where: { id: resource.file_id, teamId }, select: { id: true } }) : null;
      if (!file) throw refusal("not_found", `${path}: file ${resource.file_id.slice(0, 64)} not found`, path, "file_not_found_error");
      // the same rules as a session's (checked again when a run creates it)
      const mount = fileMountPath(resource.file_id, resource.mount_path);
      if ("error" in mount) throw refusal("invalid_request", `resources[${i}].mount_path: ${mount.error}`, `resources[${i}].mount_path`, "session_creation_rejected_error");
    }
  }
  return { ...ref, version: Number(agent.version) } as TDeploymentAgent;
}

function refusal(code: AppError["code"], message: string, path: string, runError: string): AppError {
  return new AppError(code, message, { path, runError });
}
