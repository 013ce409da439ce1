import "server-only";
import { createSkill } from "@/lib/skills/create-skill";
import { createSkillVersion } from "@/lib/skills/create-skill-version";
import { deleteSkill, deleteSkillVersion } from "@/lib/skills/delete-skill";
import { downloadSkillVersion, getSkill, getSkillVersion } from "@/lib/skills/get-skill";
import { listSkills, listSkillVersions } from "@/lib/skills/list-skills";
import { readSkillFile } from "@/lib/skills/read-skill-file";

const DEFAULT_SKILLS_MAX_BYTES = 4 * 1024 * 1024;
import { archiveAgent } from "@/lib/agents/archive-agent";
import { createAgent } from "@/lib/agents/create-agent";
import { findTeamAgent } from "@/lib/agents/find-team-agent";
import { getAgent } from "@/lib/agents/get-agent";
import { getAgentSnapshot } from "@/lib/agents/get-agent-snapshot";
import { listAgentVersions } from "@/lib/agents/list-agent-versions";
import { listAgents } from "@/lib/agents/list-agents";
import { createAgentFromForm, updateAgentFromForm } from "@/lib/agents/ui/save-agent-form";
import { updateAgent } from "@/lib/agents/update-agent";
import type { RateLimiter } from "@/lib/api/rate-limiter";
import { authenticateUser } from "@/lib/auth/authenticate-user";
import { homePathFor } from "@/lib/auth/current-team";
import { findUser } from "@/lib/auth/find-user";
import { signUp } from "@/lib/auth/sign-up";
import type { Database } from "@/lib/db/open-database";
import { archiveEnvironment } from "@/lib/environments/archive-environment";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { findTeamEnvironment } from "@/lib/environments/find-team-environment";
import { getEnvironment } from "@/lib/environments/get-environment";
import { createEnvironmentKey } from "@/lib/environments/keys/create-environment-key";
import { revokeEnvironmentKey } from "@/lib/environments/keys/revoke-environment-key";
import { listEnvironments } from "@/lib/environments/list-environments";
import { createEnvironmentFromForm, updateEnvironmentFromForm } from "@/lib/environments/ui/save-environment-form";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { ackWork } from "@/lib/environments/work/ack-work";
import { authenticateWorkToken } from "@/lib/environments/work/authenticate-work-token";
import { getWork } from "@/lib/environments/work/get-work";
import { heartbeatWork } from "@/lib/environments/work/heartbeat-work";
import { listWork } from "@/lib/environments/work/list-work";
import { pollWork } from "@/lib/environments/work/poll-work";
import { sendWorkerResults } from "@/lib/environments/work/send-worker-results";
import { stopWork } from "@/lib/environments/work/stop-work";
import { updateWork } from "@/lib/environments/work/update-work";
import { busWorkSignal } from "@/lib/environments/work/work-signal";
import { workStats } from "@/lib/environments/work/work-stats";
import { createSessionWithLog } from "@/lib/event-log/prisma/create-session-with-log";
import type { SessionStore } from "@/lib/event-log/session-store";
import { StreamableHttpMcpConnector } from "@/lib/mcp/streamable-http-connector";
import { validateMcpOAuthCredential } from "@/lib/mcp/validate-mcp-oauth-credential";
import { anyOfAuthorizers, authorizeByMemberCookie } from "@/lib/realtime/authorize-member";
import { authorizeByApiKey } from "@/lib/realtime/authorize-viewer";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { TRealtimeOptions } from "@/lib/realtime/socket-server";
import { archiveSession } from "@/lib/sessions/archive-session";
import { createSession } from "@/lib/sessions/create-session";
import { deleteSession } from "@/lib/sessions/delete-session";
import { findTeamSession } from "@/lib/sessions/find-team-session";
import { describeForkOrigin } from "@/lib/sessions/fork-origin";
import { forkSession } from "@/lib/sessions/fork-session";
import { getSession } from "@/lib/sessions/get-session";
import { listEvents } from "@/lib/sessions/list-events";
import { listSessions } from "@/lib/sessions/list-sessions";
import { sendEvents } from "@/lib/sessions/send-events";
import { streamEvents } from "@/lib/sessions/stream-events";
import { archiveThread } from "@/lib/sessions/threads/archive-thread";
import { getThread } from "@/lib/sessions/threads/get-thread";
import { listThreadEvents } from "@/lib/sessions/threads/list-thread-events";
import { listThreads } from "@/lib/sessions/threads/list-threads";
import { streamThreadEvents } from "@/lib/sessions/threads/stream-thread-events";
import { sumListCost } from "@/lib/sessions/sum-list-cost";
import { listSessionFilters } from "@/lib/sessions/ui/list-session-filters";
import { listSessionRows } from "@/lib/sessions/ui/list-session-rows";
import { loadSessionView } from "@/lib/sessions/ui/load-session-view";
import { downloadWorkspaceFile, listSessionWorkspace, previewWorkspaceFile, zipSessionWorkspace } from "@/lib/sessions/workspace/read-session-workspace";
import { localWorkspaces } from "@/lib/sessions/workspace/session-workspace";
import type { WorkspaceLocator } from "@/lib/sandbox/workspace-reader";
import { updateSession } from "@/lib/sessions/update-session";
import { addSessionResource } from "@/lib/sessions/resources/add-session-resource";
import { deleteSessionResource } from "@/lib/sessions/resources/delete-session-resource";
import { getSessionResource } from "@/lib/sessions/resources/get-session-resource";
import { listSessionResources } from "@/lib/sessions/resources/list-session-resources";
import { updateSessionResource } from "@/lib/sessions/resources/update-session-resource";
import { authorizeByShareToken } from "@/lib/share/authorize-by-share-token";
import { readMetrics, type TMetricsSource } from "@/lib/telemetry/read-metrics";
import { copyShareLink } from "@/lib/share/copy-share-link";
import { createShareLink } from "@/lib/share/create-share-link";
import { listShareLinks } from "@/lib/share/list-share-links";
import { loadReplay, loadReplayPage } from "@/lib/share/load-replay";
import { revokeShareLink } from "@/lib/share/revoke-share-link";
import { authenticateApiKey, authenticateEnvironmentKey, authenticateNamedApiKey } from "@/lib/teams/api-keys/authenticate-api-key";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { listApiKeys } from "@/lib/teams/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/teams/api-keys/revoke-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { findMembership } from "@/lib/teams/find-membership";
import { acceptInvitation } from "@/lib/teams/invitations/accept-invitation";
import { createInvitation } from "@/lib/teams/invitations/create-invitation";
import { getInvitation } from "@/lib/teams/invitations/get-invitation";
import { listInvitations } from "@/lib/teams/invitations/list-invitations";
import { revokeInvitation } from "@/lib/teams/invitations/revoke-invitation";
import { listMembers } from "@/lib/teams/list-members";
import { listUserTeams } from "@/lib/teams/list-user-teams";
import { removeMember } from "@/lib/teams/remove-member";
import { archiveMemoryStore } from "@/lib/memory-stores/archive-memory-store";
import { authorizeSessionMemory } from "@/lib/memory-stores/authorize-session-memory";
import { createMemory } from "@/lib/memory-stores/create-memory";
import { createMemoryStore } from "@/lib/memory-stores/create-memory-store";
import { deleteMemory } from "@/lib/memory-stores/delete-memory";
import { deleteMemoryStore } from "@/lib/memory-stores/delete-memory-store";
import { findTeamMemoryStore } from "@/lib/memory-stores/find-team-memory-store";
import { getMemory } from "@/lib/memory-stores/get-memory";
import { getMemoryStore } from "@/lib/memory-stores/get-memory-store";
import { getMemoryVersion } from "@/lib/memory-stores/get-memory-version";
import { listMemories } from "@/lib/memory-stores/list-memories";
import { listMemoryStores } from "@/lib/memory-stores/list-memory-stores";
import { listMemoryVersions } from "@/lib/memory-stores/list-memory-versions";
import { redactMemoryVersion } from "@/lib/memory-stores/redact-memory-version";
import { updateMemory } from "@/lib/memory-stores/update-memory";
import { updateMemoryStore } from "@/lib/memory-stores/update-memory-store";
import { archiveDeployment } from "@/lib/deployments/archive-deployment";
import { archiveDream } from "@/lib/dreams/archive-dream";
import { cancelDream } from "@/lib/dreams/cancel-dream";
import { createDream } from "@/lib/dreams/create-dream";
import { getDream } from "@/lib/dreams/get-dream";
import { listDreams } from "@/lib/dreams/list-dreams";
import { dreamStoreFromForm } from "@/lib/dreams/dream-store-from-form";
import { listStoreDreams } from "@/lib/dreams/list-store-dreams";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { getDeployment } from "@/lib/deployments/get-deployment";
import { getDeploymentRun } from "@/lib/deployments/get-deployment-run";
import { listDeploymentRuns } from "@/lib/deployments/list-deployment-runs";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { pauseDeployment } from "@/lib/deployments/pause-deployment";
import { runDeployment } from "@/lib/deployments/run-deployment";
import { unpauseDeployment } from "@/lib/deployments/unpause-deployment";
import { updateDeployment } from "@/lib/deployments/update-deployment";
import { deleteFile } from "@/lib/files/delete-file";
import { downloadFile } from "@/lib/files/download-file";
import { getFile } from "@/lib/files/get-file";
import { listFiles } from "@/lib/files/list-files";
import type { FileStorage } from "@/lib/files/storage/file-storage";
import { uploadFile } from "@/lib/files/upload-file";
import { archiveCredential } from "@/lib/vault/archive-credential";
import { archiveVault } from "@/lib/vault/archive-vault";
import type { VaultCipher } from "@/lib/vault/cipher";
import { createCredential } from "@/lib/vault/create-credential";
import { createVault } from "@/lib/vault/create-vault";
import { deleteCredential } from "@/lib/vault/delete-credential";
import { deleteVault } from "@/lib/vault/delete-vault";
import { findTeamCredential } from "@/lib/vault/find-team-credential";
import { findTeamVault } from "@/lib/vault/find-team-vault";
import { getCredential } from "@/lib/vault/get-credential";
import { getVault } from "@/lib/vault/get-vault";
import { listCredentials } from "@/lib/vault/list-credentials";
import { listVaults } from "@/lib/vault/list-vaults";
import { countVaultCredentials } from "@/lib/vault/ui/count-vault-credentials";
import { createCredentialFromForm, updateCredentialFromForm } from "@/lib/vault/ui/save-credential-form";
import { updateCredential } from "@/lib/vault/update-credential";
import { updateVault } from "@/lib/vault/update-vault";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { NO_PRIVATE_ADDRESSES, type TPrivateAddressPolicy } from "@/lib/webhooks/destination";
import { getWebhook } from "@/lib/webhooks/get-webhook";
import { listDeliveries } from "@/lib/webhooks/list-deliveries";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { resendDelivery } from "@/lib/webhooks/resend-delivery";

/** The built parts the use-cases run on: boot() passes the real ones, a test in-memory ones. */
export type TRootParts = {
  db: Pick<Database, "prisma" | "sql" | "kind">;
  /** The session log (in the server: the Prisma store that publishes on `bus`). */
  store: SessionStore;
  bus: EventBus;
  rateLimiter: Pick<RateLimiter, "take">;
  /** Tells an in-process harness worker that a session has work now (a no-op without one). */
  wake: () => void;
  /** The vault cipher, asked for when a credential is sealed (a missing key fails only those requests). */
  cipher: () => VaultCipher;
  /** The next-auth secret, asked for when sessions are signed or read. */
  authSecret: () => string;
  /** The process's metrics and the token that may read them (METRICS_TOKEN); absent: /metrics is not served. */
  metrics?: TMetricsSource;
  /** Where uploaded files' bytes are kept (a directory under DATA_DIR in the server), and the largest one accepted (FILES_MAX_BYTES). */
  files: { storage: FileStorage; maxBytes: number };
  /** Where this process's local sandboxes keep their workspaces (the workspace panel reads them); absent: none. */
  sandboxRootDir?: string;
  /** Finds sessions' live Vercel sandboxes for the workspace panel (when this installation has Vercel credentials). */
  vercelWorkspaces?: WorkspaceLocator;
  /** SKILLS_MAX_BYTES: the largest skill version accepted, all its files together (absent: 4 MiB). */
  skillsMaxBytes?: number;
  /** WORK_ITEM_TTL_SECONDS: the lease of a self-hosted environment's work item (absent: 300 s). */
  workItemTtlSeconds?: number;
  /** EGRESS_ALLOW_PRIVATE_ADDRESSES: credential validation may call MCP servers and token endpoints on private addresses. */
  allowPrivateAddresses?: boolean;
  /** WEBHOOKS_ALLOW_PRIVATE, and a nudge to this process's webhook dispatcher (a resend is due now). */
  webhooks?: { privateAddresses: TPrivateAddressPolicy; notify?: () => void };
  /** A nudge to this process's dream runner (a dream was created; absent: the runners' next pass starts it). */
  dreams?: { notify?: () => void };
};

/** The use-case `fn` with its dependencies given: callers pass its options object only. */
function bind<TDeps, TOptions, TResult>(fn: (deps: TDeps, options: TOptions) => TResult, deps: TDeps): (options: TOptions) => TResult {
  return (options) => fn(deps, options);
}

type TOptionsOf<TFn extends (...args: never[]) => unknown> = Parameters<TFn> extends [unknown, unknown, infer TOptions] ? TOptions : never;

/**
 * The composition root: the use-cases bound to the parts they run on, grouped by resource. Route
 * handlers, server actions, pages and the Socket.io server ask it for the one use-case they need
 * (`useCases().sessions.send({ teamId, sessionId, body })`, lib/server/root.ts) and never see
 * Prisma, the store or the bus. Each use-case keeps its own file and signature (dependencies first,
 * then an options object); this only binds them. Building it does no I/O.
 */
export function buildRoot(parts: TRootParts) {
  const { prisma } = parts.db;
  const { store, bus } = parts;
  const onWake = parts.wake;
  const workSignal = busWorkSignal(bus);
  const allowPrivateAddresses = parts.allowPrivateAddresses === true;
  // the local sandboxes' workspaces first (no request leaves the machine), then Vercel's
  const workspaceDeps = { store, workspaces: [localWorkspaces(parts.sandboxRootDir), ...(parts.vercelWorkspaces ? [parts.vercelWorkspaces] : [])] };

  return {
    metrics: {
      /** `GET /metrics`: the Prometheus text for a request bearing the metrics token. */
      read: (authorization: string | null) => readMetrics(parts.metrics, authorization),
    },
    /** Liveness and readiness: resolves when the database answers a query. */
    async health(): Promise<{ database: Database["kind"] }> {
      await prisma.$queryRaw`SELECT 1`;
      return { database: parts.db.kind };
    },
    auth: {
      /** The secret next-auth signs and encrypts the session cookies with (lib/auth/auth-options.ts). */
      secret: () => parts.authSecret(),
    },
    users: {
      authenticate: bind(authenticateUser, prisma),
      signUp: bind(signUp, prisma),
      find: bind(findUser, prisma),
    },
    teams: {
      create: bind(createTeam, prisma),
      listOfUser: bind(listUserTeams, prisma),
      findMembership: bind(findMembership, prisma),
      /** Where a signed-in user lands: their first team, or team creation. */
      homePath: (options: { userId: string }) => homePathFor(prisma, options.userId),
    },
    members: {
      list: bind(listMembers, prisma),
      remove: bind(removeMember, prisma),
    },
    invitations: {
      create: bind(createInvitation, prisma),
      get: bind(getInvitation, prisma),
      accept: bind(acceptInvitation, prisma),
      list: bind(listInvitations, prisma),
      revoke: bind(revokeInvitation, prisma),
    },
    apiKeys: {
      create: bind(createApiKey, prisma),
      list: bind(listApiKeys, prisma),
      revoke: bind(revokeApiKey, prisma),
      authenticate: (key: string) => authenticateApiKey(parts.db, key),
    },
    rateLimits: {
      /** Takes one request of the API key's allowance; rejects with `rate_limited` when it is spent. */
      take: (apiKeyId: string) => parts.rateLimiter.take(apiKeyId),
    },
    agents: {
      create: bind(createAgent, prisma),
      list: bind(listAgents, prisma),
      get: bind(getAgent, prisma),
      snapshot: bind(getAgentSnapshot, prisma),
      update: bind(updateAgent, prisma),
      archive: bind(archiveAgent, prisma),
      listVersions: bind(listAgentVersions, prisma),
      find: (options: { teamId: string; agentId: string }) => findTeamAgent(prisma, options.teamId, options.agentId),
      createFromForm: bind(createAgentFromForm, prisma),
      updateFromForm: bind(updateAgentFromForm, prisma),
    },
    environments: {
      create: bind(createEnvironment, prisma),
      list: bind(listEnvironments, prisma),
      get: bind(getEnvironment, prisma),
      update: bind(updateEnvironment, prisma),
      delete: bind(deleteEnvironment, prisma),
      archive: bind(archiveEnvironment, prisma),
      find: (options: { teamId: string; environmentId: string }) => findTeamEnvironment(prisma, options.teamId, options.environmentId),
      createFromForm: bind(createEnvironmentFromForm, prisma),
      updateFromForm: bind(updateEnvironmentFromForm, prisma),
    },
    /** The work queues of self-hosted environments (reference §2.3), polled by the teams' own workers. */
    environmentWork: {
      poll: bind(pollWork, { prisma, store, signal: workSignal, ttlSeconds: parts.workItemTtlSeconds }),
      ack: bind(ackWork, { prisma }),
      heartbeat: bind(heartbeatWork, { prisma }),
      stop: bind(stopWork, { prisma, store, signal: workSignal, ttlSeconds: parts.workItemTtlSeconds }),
      get: bind(getWork, { prisma }),
      update: bind(updateWork, { prisma }),
      list: bind(listWork, { prisma }),
      stats: bind(workStats, { prisma }),
      /** A worker's `user.tool_result`s, sent with its work item's token. */
      sendResults: bind(sendWorkerResults, { store, onWake }),
    },
    /** Work items' session tokens, which the /v1 routes that serve a worker accept besides API keys. */
    workTokens: {
      authenticate: (token: string) => authenticateWorkToken(prisma, token),
    },
    /** Environment keys, which the work-queue routes a worker calls accept besides team keys. */
    environmentKeys: {
      authenticate: (key: string) => authenticateEnvironmentKey(parts.db, key),
      create: bind(createEnvironmentKey, prisma),
      list: (options: { teamId: string; environmentId: string }) => listApiKeys(prisma, options),
      revoke: bind(revokeEnvironmentKey, prisma),
    },
    sessions: {
      // No `cipher` here: createSession builds the process's own only when a repository token needs
      // sealing, where a cipher built up front would refuse every session on a server without a key.
      create: bind(createSession, { prisma, store, onWake }),
      list: bind(listSessions, { prisma }),
      get: bind(getSession, { store }),
      update: bind(updateSession, { store }),
      delete: bind(deleteSession, { prisma, store, bus }),
      archive: bind(archiveSession, { prisma, store }),
      // a fork is written with its log in one transaction, beside the store (create-session-with-log.ts)
      fork: bind(forkSession, { prisma, store, createSessionWithLog: (input, events) => createSessionWithLog(prisma, input, events) }),
      forkOrigin: bind(describeForkOrigin, { store }),
      send: bind(sendEvents, { store, onWake }),
      listEvents: bind(listEvents, { store }),
      streamEvents: bind(streamEvents, { store, bus }),
      listThreads: bind(listThreads, { store }),
      getThread: bind(getThread, { store }),
      archiveThread: bind(archiveThread, { store }),
      listThreadEvents: bind(listThreadEvents, { store }),
      streamThreadEvents: bind(streamThreadEvents, { store, bus }),
      find: (options: { teamId: string; sessionId: string }) => findTeamSession(store, options.teamId, options.sessionId),
      loadView: bind(loadSessionView, { prisma, store }),
      listRows: bind(listSessionRows, { prisma }),
      listFilters: bind(listSessionFilters, prisma),
      sumListCost: bind(sumListCost, { prisma }),
    },
    sessionResources: {
      list: bind(listSessionResources, { store }),
      get: bind(getSessionResource, { store }),
      add: bind(addSessionResource, { prisma, cipher: parts.cipher }),
      update: bind(updateSessionResource, { prisma, cipher: parts.cipher }),
      delete: bind(deleteSessionResource, { prisma }),
    },
    shareLinks: {
      // tokens derived from the server's secret, so a member can copy a link again (share-token.ts)
      create: bind(createShareLink, { prisma, tokenSecret: parts.authSecret }),
      copy: bind(copyShareLink, { prisma, tokenSecret: parts.authSecret }),
      list: bind(listShareLinks, { prisma }),
      revoke: bind(revokeShareLink, { prisma }),
    },
    replays: {
      load: bind(loadReplay, { prisma, store }),
      loadPage: bind(loadReplayPage, { prisma, store }),
    },
    vaults: {
      create: bind(createVault, prisma),
      list: bind(listVaults, prisma),
      get: bind(getVault, prisma),
      update: bind(updateVault, prisma),
      delete: bind(deleteVault, prisma),
      archive: bind(archiveVault, prisma),
      find: (options: { teamId: string; vaultId: string }) => findTeamVault(prisma, options.teamId, options.vaultId),
      countCredentials: bind(countVaultCredentials, prisma),
    },
    credentials: {
      create: (options: TOptionsOf<typeof createCredential>) => createCredential(prisma, parts.cipher(), options),
      list: bind(listCredentials, prisma),
      get: bind(getCredential, prisma),
      update: (options: TOptionsOf<typeof updateCredential>) => updateCredential(prisma, parts.cipher(), options),
      delete: bind(deleteCredential, prisma),
      archive: bind(archiveCredential, prisma),
      find: bind(findTeamCredential, prisma),
      /** `mcp_oauth_validate`: probes the MCP server with the token, refreshing it as a session would. */
      validateMcpOAuth: (options: Parameters<typeof validateMcpOAuthCredential>[1]) =>
        validateMcpOAuthCredential({ prisma, cipher: parts.cipher(), connector: new StreamableHttpMcpConnector({ allowPrivateAddresses }), exchange: { allowPrivateAddresses } }, options),
      createFromForm: (options: TOptionsOf<typeof createCredentialFromForm>) => createCredentialFromForm(prisma, parts.cipher(), options),
      updateFromForm: (options: TOptionsOf<typeof updateCredentialFromForm>) => updateCredentialFromForm(prisma, parts.cipher(), options),
    },
    /** Memory stores (reference §2.9): path-addressed documents, every write an immutable version. */
    memoryStores: {
      create: bind(createMemoryStore, prisma),
      list: bind(listMemoryStores, prisma),
      get: bind(getMemoryStore, prisma),
      update: bind(updateMemoryStore, prisma),
      delete: bind(deleteMemoryStore, prisma),
      archive: bind(archiveMemoryStore, prisma),
      find: (options: { teamId: string; storeId: string }) => findTeamMemoryStore(prisma, options.teamId, options.storeId),
    },
    memories: {
      create: bind(createMemory, prisma),
      list: bind(listMemories, prisma),
      get: bind(getMemory, prisma),
      update: bind(updateMemory, prisma),
      delete: bind(deleteMemory, prisma),
      /** What a self-hosted worker's item token may do with a store: what its session may (and writes as it). */
      authorizeSession: bind(authorizeSessionMemory, prisma),
    },
    memoryVersions: {
      list: bind(listMemoryVersions, prisma),
      get: bind(getMemoryVersion, prisma),
      redact: bind(redactMemoryVersion, prisma),
    },
    /** The session page's workspace panel: the live sandbox's files, local or Vercel (lib/sessions/workspace). */
    workspace: {
      list: bind(listSessionWorkspace, workspaceDeps),
      preview: bind(previewWorkspaceFile, workspaceDeps),
      download: bind(downloadWorkspaceFile, workspaceDeps),
      zip: bind(zipSessionWorkspace, workspaceDeps),
    },
    /** Files (reference §2.11): bytes in the file storage, metadata in the database. */
    files: {
      upload: bind(uploadFile, { prisma, storage: parts.files.storage, maxBytes: parts.files.maxBytes }),
      list: bind(listFiles, prisma),
      get: bind(getFile, prisma),
      download: bind(downloadFile, { prisma, storage: parts.files.storage }),
      delete: bind(deleteFile, { prisma, storage: parts.files.storage }),
    },
    /** Skills (reference §2.10): folders with a SKILL.md, uploaded as versions, kept in the database. */
    skills: {
      create: bind(createSkill, { prisma, maxBytes: parts.skillsMaxBytes ?? DEFAULT_SKILLS_MAX_BYTES }),
      list: bind(listSkills, prisma),
      get: bind(getSkill, prisma),
      delete: bind(deleteSkill, prisma),
      createVersion: bind(createSkillVersion, { prisma, maxBytes: parts.skillsMaxBytes ?? DEFAULT_SKILLS_MAX_BYTES }),
      listVersions: bind(listSkillVersions, prisma),
      getVersion: bind(getSkillVersion, prisma),
      download: bind(downloadSkillVersion, prisma),
      deleteVersion: bind(deleteSkillVersion, prisma),
      readFile: bind(readSkillFile, prisma),
    },
    /** Webhook endpoints of a team and their deliveries (the outbox, drained by the dispatcher). */
    webhooks: {
      create: bind(createWebhook, { prisma, cipher: parts.cipher, privateAddresses: parts.webhooks?.privateAddresses ?? NO_PRIVATE_ADDRESSES }),
      list: bind(listWebhooks, prisma),
      get: bind(getWebhook, prisma),
      delete: bind(deleteWebhook, prisma),
      listDeliveries: bind(listDeliveries, prisma),
      resend: bind(resendDelivery, { prisma, notify: parts.webhooks?.notify }),
    },
    /** Deployments (reference §2.12): an agent, an environment and initial events, run now or on a cron schedule. */
    deployments: {
      create: bind(createDeployment, { prisma }),
      list: bind(listDeployments, { prisma }),
      get: bind(getDeployment, { prisma }),
      update: bind(updateDeployment, { prisma }),
      archive: bind(archiveDeployment, { prisma }),
      pause: bind(pauseDeployment, { prisma }),
      unpause: bind(unpauseDeployment, { prisma }),
      // a run creates its session exactly as POST /v1/sessions does
      run: bind(runDeployment, { prisma, createSession: bind(createSession, { prisma, store, onWake }) }),
    },
    deploymentRuns: {
      list: bind(listDeploymentRuns, prisma),
      get: bind(getDeploymentRun, prisma),
    },
    /** Dreams (SDK 1.17, research preview): a session that reorganises a memory store from past sessions. */
    dreams: {
      create: bind(createDream, { prisma, store, onWake, onDream: parts.dreams?.notify }),
      list: bind(listDreams, prisma),
      get: bind(getDream, prisma),
      archive: bind(archiveDream, { prisma }),
      cancel: bind(cancelDream, { prisma, store, onWake }),
      /** The memory store page: its dreams, and its "Dream" form. */
      listOfStore: bind(listStoreDreams, prisma),
      createFromForm: bind(dreamStoreFromForm, { prisma, store, onWake, onDream: parts.dreams?.notify }),
    },
    /**
     * What the Socket.io server needs: the log and the bus it serves rooms from, and who may watch a
     * session: an API key (scripts), a share link (replay viewers) or a member's session cookie (the web app).
     */
    realtime: {
      store,
      bus,
      authorize: anyOfAuthorizers(
        authorizeByApiKey({ authenticate: (key) => authenticateNamedApiKey(parts.db, key), store }),
        authorizeByShareToken({ prisma }),
        authorizeByMemberCookie({ prisma, store, secret: parts.authSecret }),
      ),
    } satisfies Pick<TRealtimeOptions, "store" | "bus" | "authorize">,
  };
}

/** The use-cases of one composition root. */
export type TRoot = ReturnType<typeof buildRoot>;
