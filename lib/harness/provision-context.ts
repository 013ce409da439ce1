import "server-only";
import { egressCredentialsFrom, policyFromNetworking } from "@/lib/egress/from-config";
import { configFromJson, type TEnvironmentConfig } from "@/lib/sandbox/environment-config";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ProvisionOptions, RepositoryCheckout } from "@/lib/sandbox/types";
import type { VaultCipher } from "@/lib/vault/cipher";
import { memoryMountsOf, type TMemoryMount } from "./memory-mounts";
import { parseAgentConfig } from "./agent-config";
import { loadRosterSkills, skillFilesOf, uniqueSkills, type TLoadSessionSkills } from "./skills-prompt";
import { loadCredentialSecrets, type TCredentialWithSecrets } from "@/lib/vault/load-credential-secrets";

/**
 * What a session's sandbox is provisioned with, built from the database each time a sandbox is
 * provisioned (so an edited environment or vault applies to the next sandbox): the environment
 * (which picks the provider), the network policy, the credentials the egress layer applies outside
 * the sandbox, the placeholders the sandbox sees instead, and every secret value of the session, so
 * the harness can redact them from whatever it stores.
 */
export type TSandboxPlan = {
  /** The session's environment config; null when there is none to go by (then: the default provider, no network). */
  environment: TEnvironmentConfig | null;
  options: Omit<ProvisionOptions, "sessionId">;
  /** Every secret value of the session's credentials (all types). For redaction only: never logged or stored. */
  secrets: readonly string[];
  /** The session's memory stores, mounted in the sandbox (`options.memoryMounts`) and synced around each tool call. */
  memory?: readonly TMemoryMount[];
  /** Files written into the sandbox once it is up: the agent's skills, under /workspace/.skills/<name>/. */
  files?: readonly { path: string; content: Buffer }[];
};

/** `environmentId`: one of the session's additional environments; absent: its primary. */
export type TPlanSandbox = (sessionId: string, environmentId?: string) => Promise<TSandboxPlan>;

/**
 * Loads a session's github_repository resources as the sandbox clones them, tokens decrypted with
 * `cipher` (asked for only when a token is there). The resources are a use-case of the sessions
 * (lib/sessions/session-repositories.ts seals and stores them): the composition root passes their
 * loader in, so the harness does not import the layer above it.
 */
export type TLoadRepositories = (prisma: PrismaClient, cipher: () => VaultCipher, sessionId: string) => Promise<RepositoryCheckout[]>;

/** No environment, no network, no credentials: what a sandbox gets when nothing says otherwise. */
export const EMPTY_SANDBOX_PLAN: TSandboxPlan = { environment: null, options: {}, secrets: [] };

/**
 * Hosts of the public package registries, allowed when a limited environment sets
 * `allow_package_managers` (apt, pip, npm, cargo, gem, go).
 */
export const PACKAGE_MANAGER_HOSTS: readonly string[] = [
  "deb.debian.org",
  "security.debian.org",
  "archive.ubuntu.com",
  "security.ubuntu.com",
  "pypi.org",
  "files.pythonhosted.org",
  "registry.npmjs.org",
  "crates.io",
  "index.crates.io",
  "static.crates.io",
  "rubygems.org",
  "index.rubygems.org",
  "proxy.golang.org",
  "sum.golang.org",
];

/**
 * The plan for one session, from what the database holds: a pure function, so it is tested without
 * a database. A self-hosted environment has no networking here: its sandboxes get none.
 */
export function sandboxPlanFrom(input: {
  environment: TEnvironmentConfig | null;
  agentSnapshot: unknown;
  credentials: readonly TCredentialWithSecrets[];
}): TSandboxPlan {
  const networking = input.environment?.type === "cloud" ? input.environment.networking : null;
  const network = policyFromNetworking(networking, {
    mcpServerHosts: mcpServerHosts(input.agentSnapshot),
    packageManagerHosts: PACKAGE_MANAGER_HOSTS,
  });
  // Placeholders for the sandbox's environment; the values go to the egress layer only.
  const { credentials, env } = egressCredentialsFrom(input.credentials);
  return {
    environment: input.environment,
    options: { network, credentials, env },
    secrets: input.credentials.flatMap((c) => Object.values(c.secrets).filter((v): v is string => typeof v === "string" && v.length > 0)),
  };
}

/** A coordinator's roster from its snapshot; none for another agent, or a snapshot that does not parse. */
function parseRoster(agentSnapshot: unknown): { id: string; version: number; snapshot: unknown }[] {
  try {
    return parseAgentConfig(agentSnapshot).roster ?? [];
  } catch {
    return [];
  }
}

/** The hosts of the agent's MCP servers (`mcp_servers[].url`), as they appear in the session's agent snapshot. */
export function mcpServerHosts(agentSnapshot: unknown): string[] {
  const servers = (agentSnapshot as { mcp_servers?: unknown } | null)?.mcp_servers;
  if (!Array.isArray(servers)) return [];
  const hosts = new Set<string>();
  for (const server of servers) {
    const url = (server as { url?: unknown } | null)?.url;
    if (typeof url !== "string") continue;
    try {
      const hostname = new URL(url).hostname.replace(/^\[|\]$/g, "");
      if (hostname) hosts.add(hostname);
    } catch {
      // An unparseable URL allows nothing.
    }
  }
  return [...hosts];
}

/**
 * Plans a session's sandbox from the database: the session row (team, environment, vault ids,
 * agent snapshot), its environment's config, and its vaults' credentials decrypted with `cipher`
 * (asked for only when the session has vaults, so an installation without a vault key runs
 * sessions without vaults). A credential that does not decrypt fails the plan, naming it.
 */
export function createSandboxPlanner(options: { prisma: PrismaClient; cipher: () => VaultCipher; repositories: TLoadRepositories; skills?: TLoadSessionSkills }): TPlanSandbox {
  const { prisma } = options;
  return async (sessionId, environmentId) => {
    const session = await prisma.session.findUnique({
      where: { id: sessionId },
      select: { teamId: true, vaultIds: true, agentSnapshot: true, resources: true, additionalEnvironments: true, environment: { select: { config: true } } },
    });
    if (!session) throw new Error(`session ${sessionId} not found`);
    // another of the session's environments: its own config (network policy, provider); vaults, resources and skills are the session's
    const additional = environmentId ? await additionalEnvironmentConfig(prisma, session, environmentId) : null;
    const credentials =
      session.vaultIds.length > 0 ? await loadCredentialSecrets(prisma, options.cipher(), { teamId: session.teamId, vaultIds: session.vaultIds }) : [];
    const plan = sandboxPlanFrom({ environment: configFromJson(additional ?? session.environment.config), agentSnapshot: session.agentSnapshot, credentials });
    // github_repository resources: cloned outside the sandbox; their tokens are redacted like credentials
    const repositories = await options.repositories(prisma, options.cipher, sessionId);
    const memory = memoryMountsOf(Array.isArray(session.resources) ? session.resources : []);
    // the agent's skills, and its callable agents' (multi-agent sessions: the threads share the sandbox)
    const roster = parseRoster(session.agentSnapshot);
    const skills = options.skills
      ? uniqueSkills([
          ...(await options.skills({ teamId: session.teamId, agentSnapshot: session.agentSnapshot }, { withFiles: true })),
          ...[...(await loadRosterSkills(options.skills, session.teamId, roster, { withFiles: true })).values()].flat(),
        ])
      : [];
    return {
      ...plan,
      options: { ...plan.options, repositories, memoryMounts: memory.map((m) => ({ name: m.name, readOnly: m.readOnly })) },
      secrets: [...plan.secrets, ...repositories.flatMap((r) => (r.token ? [r.token] : []))],
      memory,
      files: skillFilesOf(skills),
    };
  };
}

/** The config of one of a session's additional environments (checked to be one of them, in the session's team). */
async function additionalEnvironmentConfig(prisma: PrismaClient, session: { teamId: string; additionalEnvironments: unknown }, environmentId: string) {
  const listed = Array.isArray(session.additionalEnvironments) && session.additionalEnvironments.some((e) => (e as { environment_id?: unknown })?.environment_id === environmentId);
  const environment = listed ? await prisma.environment.findFirst({ where: { id: environmentId, teamId: session.teamId }, select: { config: true } }) : null;
  if (!environment) throw new Error(`environment ${environmentId} is not one of the session's`);
  return environment.config;
}
