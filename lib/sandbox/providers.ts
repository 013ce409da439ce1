import "server-only";
import { vercelCredentialsOf } from "@/lib/env";
import type { Logger } from "@/lib/log";
import { SandboxError } from "./errors";
import { LocalSandboxProvider, type LocalSandboxProviderOptions } from "./local";
import { chooseSandboxRoot } from "./local/sandbox-root";
import { sandboxProviderOf, type TSandboxProviderChoice } from "./provider-choice";
import type { SandboxProvider } from "./types";
import type { VercelSandboxProviderOptions } from "./vercel";

export type TSandboxProviderSettings = {
  DATA_DIR: string;
  /** Where local workspaces live (default `<DATA_DIR>/sandboxes`): see chooseSandboxRoot. */
  SANDBOX_DIR?: string;
  SANDBOX_IDLE_MS: number;
  /**
   * Vercel Sandbox credentials, as `getEnv()` has them: an OIDC token, or all three of the others.
   * None of them: environments that chose `vercel` fail to provision, saying so.
   */
  VERCEL_OIDC_TOKEN?: string;
  VERCEL_TOKEN?: string;
  VERCEL_TEAM_ID?: string;
  VERCEL_PROJECT_ID?: string;
  /** Tests only: the local provider's egress options (resolver, private addresses). */
  localEgress?: LocalSandboxProviderOptions["egress"];
  /** The `fetch` the Vercel SDK uses (tests inject a recorded stand-in of the API). */
  vercelFetch?: typeof globalThis.fetch;
  logger?: Logger;
};

/** The sandbox providers of one harness process, and which one an environment's sessions use. */
export interface SandboxProviders {
  /** `config`: the environment's config (`TEnvironmentConfig`), of which only the provider choice is read. */
  forEnvironment(config: TSandboxProviderChoice | null): SandboxProvider;
  shutdown(): Promise<void>;
}

/**
 * The providers this installation can use: the local (bubblewrap) provider, with workspaces under
 * `<DATA_DIR>/sandboxes` (or where `chooseSandboxRoot` puts them), for every environment that did not choose another; the Vercel provider
 * for environments whose config says `sandbox_provider: "vercel"`, when Vercel credentials are set.
 * Without them such an environment gets a provider whose `provision` fails with a clear message
 * (a failed provision is a tool error the session goes on from), never a silent fallback to local.
 */
export function createSandboxProviders(settings: TSandboxProviderSettings): SandboxProviders {
  // throws (stopping the boot with one line) when SANDBOX_DIR is unreachable for the sandbox user
  const { rootDir, moved } = chooseSandboxRoot({ dataDir: settings.DATA_DIR, sandboxDir: settings.SANDBOX_DIR });
  if (moved) settings.logger?.warn(moved);
  const local = new LocalSandboxProvider({
    rootDir,
    idleMs: settings.SANDBOX_IDLE_MS,
    egress: settings.localEgress,
    logger: settings.logger,
  });
  const credentials = vercelCredentialsOf(settings);
  const vercel: SandboxProvider & { shutdown(): Promise<void> } = credentials
    ? loadedOnFirstUse({ credentials, idleMs: settings.SANDBOX_IDLE_MS, fetch: settings.vercelFetch, logger: settings.logger })
    : unavailable("vercel", "the vercel sandbox provider is not configured on this server: set VERCEL_OIDC_TOKEN, or VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID");
  return {
    forEnvironment: (config) => (sandboxProviderOf(config) === "vercel" ? vercel : local),
    shutdown: async () => {
      await Promise.all([local.shutdown(), vercel.shutdown()]);
    },
  };
}

/**
 * The Vercel provider, its module (and the Vercel SDK, about 0.6 s of start-up) loaded at the first
 * provision: a process whose sessions never use Vercel does not pay for it, nor does its start.
 */
function loadedOnFirstUse(options: VercelSandboxProviderOptions): SandboxProvider & { shutdown(): Promise<void> } {
  let loading: Promise<SandboxProvider & { shutdown(): Promise<void> }> | undefined;
  const provider = () => (loading ??= import("./vercel/vercel-sandbox-provider").then(({ VercelSandboxProvider }) => new VercelSandboxProvider(options)));
  return {
    name: "vercel",
    provision: async (provisionOptions) => (await provider()).provision(provisionOptions),
    shutdown: async () => {
      if (loading) await (await loading).shutdown();
    },
  };
}

function unavailable(name: string, message: string): SandboxProvider & { shutdown(): Promise<void> } {
  return {
    name,
    provision: async () => {
      throw new SandboxError("provision_failed", message);
    },
    shutdown: async () => {},
  };
}
