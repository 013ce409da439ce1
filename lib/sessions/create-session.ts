import type { PrismaClient } from "@/lib/generated/prisma/client";
import { pinSkillRefs } from "@/lib/skills/pin-skill-refs";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";
import { parseWith } from "@/lib/resource/parse";
import { getEnvironment } from "@/lib/environments/get-environment";
import { AppError } from "@/lib/errors";
import { isId, newId } from "@/lib/ids";
import type { TEventActor } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { VaultCipher } from "@/lib/vault/cipher";
import { getVaultCipher } from "@/lib/vault/get-vault-cipher";
import { assertToolEnvironments, resolveAdditionalEnvironments } from "./additional-environments";
import { expandRoster } from "./expand-roster";
import { ZSessionCreateSchema } from "./schemas";
import { appendClientEvents } from "./send-events";
import { assertBudgetable } from "./session-budget";
import { prepareSessionMemoryStores } from "./session-memory-stores";
import { newResourceId, prepareSessionRepositories } from "./session-repositories";
import { prepareSessionFiles } from "./resources/session-files";
import { sessionToWire } from "./session-to-wire";
import { validateClientEvents } from "./validate-client-events";
import { readOutcomeEvaluations } from "./read-outcome-evaluations";

/**
 * Creates a session: pins the agent (its latest version, or the one asked for, with per-session
 * overrides applied to the snapshot only), checks the environment (not archived) and the vaults,
 * and sends `initial_events` as if posted right after (they wake the harness).
 *
 * Decision: a github_repository resource's `authorization_token` is write-only: it is sealed into
 * `SessionRepository` (session-repositories.ts) for the host-side clone, and the session record
 * (which the API returns) holds the resource without it, with its id and mount path. Tokens are
 * sealed before anything is written, and the session row and its repository rows are one write of
 * the store (`TNewSession.repositories`): both commit or neither, so no session exists without its
 * tokens, even when the process dies between them.
 *
 * A memory_store resource is checked (the team's, not archived) and kept with its mount path and
 * the store's name and description as of now (session-memory-stores.ts); the harness mounts it.
 *
 * A file resource is checked (the team's file, not expired; its mount path under /workspace) and
 * kept with an id and its mount path (resources/session-files.ts); the harness copies the file's
 * bytes into the sandbox before the next tool call (lib/harness/file-resources.ts).
 *
 * The initial events are checked here, once, and appended as they are (`appendClientEvents`).
 *
 * The session row, its starter and the `session.created` webhook (the store's outbox hook) are one
 * transaction of the store: a process dying after it leaves an announced session, before it none.
 */
export async function createSession(
  deps: { prisma: PrismaClient; store: SessionStore; onWake?: () => void; cipher?: VaultCipher },
  options: {
    teamId: string;
    body: unknown;
    /** Who starts it: the member's user id, or the API key's id for a session created through the API. */
    createdBy?: string | null;
    /** Who sends the initial events (the same member or key): recorded with them. */
    actor?: TEventActor;
  },
) {
  const input = parseWith(ZSessionCreateSchema, options.body);
  // checked before anything is written: a bad initial event leaves no session behind
  const initialEvents = input.initial_events && input.initial_events.length > 0 ? validateClientEvents(input.initial_events) : [];
  const reply = initialEvents.find((e) => e.type === "user.tool_confirmation" || e.type === "user.custom_tool_result");
  if (reply) throw new AppError("invalid_request", `initial_events: ${reply.type} answers a tool use, and a new session has none`);
  const ref = typeof input.agent === "string" ? { type: "agent" as const, id: input.agent } : input.agent;
  const agent = await getAgentSnapshot(deps.prisma, { teamId: options.teamId, agentId: ref.id, version: ref.version });
  if (agent.archived_at) throw new AppError("invalid_request", `agent ${ref.id} is archived`);
  const snapshot: Record<string, unknown> = { ...agent };
  if (ref.type === "agent_with_overrides") {
    for (const key of ["model", "system", "tools", "mcp_servers", "skills"] as const) {
      if (ref[key] !== undefined) snapshot[key] = key === "model" && typeof ref.model === "string" ? { id: ref.model } : ref[key];
    }
  }
  delete snapshot.archived_at;
  // the session keeps the skill versions it starts with (overrides are checked like an agent's skills)
  snapshot.skills = await pinSkillRefs(deps.prisma, options.teamId, snapshot.skills, { validate: ref.type === "agent_with_overrides" && ref.skills !== undefined });
  if (agent.multiagent) snapshot.multiagent = await expandRoster(deps.prisma, { teamId: options.teamId, multiagent: agent.multiagent });
  if (input.budget) assertBudgetable(snapshot);

  const environment = await getEnvironment(deps.prisma, { teamId: options.teamId, environmentId: input.environment_id });
  if (environment.archived_at) {
    throw new AppError("invalid_request", `environment ${input.environment_id} is archived`, { errorCode: "environment_archived" });
  }
  const additionalEnvironments = await resolveAdditionalEnvironments(deps.prisma, { teamId: options.teamId, primaryId: input.environment_id, entries: input.additional_environments ?? [] });
  assertToolEnvironments(snapshot, { environmentId: input.environment_id, additionalEnvironments });
  const vaultIds = [...new Set(input.vault_ids ?? [])];
  if (vaultIds.length > 0) await assertUsableVaults(deps.prisma, options.teamId, input.vault_ids ?? []);

  const sessionId = newId("session");
  const resources = input.resources ?? [];
  const repositories = prepareSessionRepositories(
    resources.flatMap((resource, index) => (resource.type === "github_repository" ? [{ index, resource }] : [])),
    { sessionId, cipher: () => deps.cipher ?? getVaultCipher() },
  );
  const wireRepositories = [...repositories.wire];
  const wireMemoryStores = await prepareSessionMemoryStores(
    deps.prisma,
    options.teamId,
    resources.flatMap((resource, index) => (resource.type === "memory_store" ? [{ index, resource }] : [])),
  );
  const wireFiles = await prepareSessionFiles(deps.prisma, {
    teamId: options.teamId,
    inputs: resources.flatMap((resource, index) => (resource.type === "file" ? [{ field: `resources[${index}]`, resource }] : [])),
    taken: repositories.wire.map((r) => ({ mountPath: r.mount_path, kind: "github_repository" as const })),
  });
  const session = await deps.store.createSession({
    id: sessionId,
    teamId: options.teamId,
    agentId: ref.id,
    agentVersion: Number(agent.version),
    agentSnapshot: snapshot,
    environmentId: input.environment_id,
    title: input.title ?? null,
    metadata: input.metadata ?? {},
    vaultIds,
    // every resource has an id (`sesrsc_`), memory stores too, so the resources endpoints address each
    resources: resources.map((r) =>
      r.type === "github_repository" ? wireRepositories.shift()! : r.type === "memory_store" ? { id: newResourceId(), ...wireMemoryStores.shift()! } : wireFiles.shift()!,
    ),
    budget: input.budget ?? null,
    additionalEnvironments,
    repositories: repositories.rows,
    // recorded with the row, so the session is listed with its starter from its first message
    createdBy: options.createdBy ?? null,
  });
  if (initialEvents.length > 0) {
    await appendClientEvents(deps, session, initialEvents, options.actor);
    const outcomeEvaluations = initialEvents.some((e) => e.type === "user.define_outcome") ? await readOutcomeEvaluations(deps.store, session.id) : undefined;
    return sessionToWire((await deps.store.getSession(session.id))!, { outcomeEvaluations });
  }
  return sessionToWire(session);
}

/**
 * Every vault of `vault_ids` is one of the team's and not archived. Another team's vault reads like
 * an unknown id (404); an archived vault of the team is a 400 that says so, as for an archived
 * environment. `details.path` names the entry (`vault_ids[1]`), for a form to put it by its field.
 */
async function assertUsableVaults(prisma: PrismaClient, teamId: string, vaultIds: readonly string[]): Promise<void> {
  const wellFormed = vaultIds.filter((id) => isId("vault", id));
  const found = await prisma.vault.findMany({ where: { id: { in: wellFormed }, teamId }, select: { id: true, displayName: true, archivedAt: true } });
  vaultIds.forEach((id, index) => {
    const vault = found.find((v) => v.id === id);
    const path = `vault_ids[${index}]`;
    if (!vault) throw new AppError("not_found", `vault ${id.slice(0, 64)} not found`, { path });
    if (vault.archivedAt) throw new AppError("invalid_request", `vault "${vault.displayName}" (${id}) is archived: a new session cannot use it`, { path });
  });
}
