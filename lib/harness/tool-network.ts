import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { configFromJson, type TEnvironmentConfig } from "@/lib/sandbox/environment-config";
import { bashDescription, type TBashNetwork } from "@/lib/tools/bash";
import type { TAgentConfig } from "./agent-config";

/** A session's environment config by the environment's id (null: gone), for what the tools tell the model. */
export type TLoadEnvironmentConfig = (environmentId: string) => Promise<TEnvironmentConfig | null>;

/** Reads an environment's stored config (one row by its key, at each wake: an edited networking applies to the next). */
export function environmentConfigLoader(prisma: Pick<PrismaClient, "environment">): TLoadEnvironmentConfig {
  return async (environmentId) => {
    const row = await prisma.environment.findUnique({ where: { id: environmentId }, select: { config: true } });
    return row ? configFromJson(row.config) : null;
  };
}

/**
 * What a command may reach, as the session's environment says: a cloud environment's networking
 * (`unrestricted`, the default, or `limited` to its hosts), a self-hosted environment's workers'
 * machines, or nothing when there is no environment to go by. Decision: the bash tool's
 * description says what the environment allows; a server that cannot create network namespaces
 * (not root) gives its sandboxes none whatever the environment says (lib/sandbox/local), which the
 * model then learns from the failing command.
 */
export function bashNetworkOf(environment: TEnvironmentConfig | null): TBashNetwork {
  if (!environment) return "none";
  if (environment.type === "self_hosted") return "self_hosted";
  return environment.networking.type;
}

/** The agent with its bash tool (when it has it) describing the environment's network. */
export function withToolNetwork(agent: TAgentConfig, environment: TEnvironmentConfig | null): TAgentConfig {
  const bash = agent.builtinTools.get("bash");
  if (!bash) return agent;
  const builtinTools = new Map(agent.builtinTools);
  builtinTools.set("bash", { ...bash, definition: { ...bash.definition, description: bashDescription(bashNetworkOf(environment)) } });
  return { ...agent, builtinTools };
}
