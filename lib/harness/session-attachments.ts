import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isSandboxError } from "@/lib/sandbox/errors";
import type { RepositoryCheckout } from "@/lib/sandbox/types";
import type { VaultCipher } from "@/lib/vault/cipher";
import { memoryMountsOf, type TMemoryMount } from "./memory-mounts";
import { oneAtATime } from "./memory-sync";
import type { TLoadRepositories } from "./provision-context";
import type { TSandboxLease } from "./sandbox-pool";

/**
 * Memory stores and repositories added to (or removed from) a running session appear in (or leave)
 * its sandbox at its next tool call. Before each tool call the harness reads what the session has
 * now and hands a running sandbox what changed since it was provisioned (`Sandbox.attach`):
 * - the memory mounts, as a whole set: a new store is mounted (and filled by memory-sync.ts for
 *   the call), a removed one unmounted; what the agent wrote there was saved after each call;
 * - each repository not cloned into this sandbox yet, cloned outside it with its token (which is
 *   redacted from the sandbox's output from then on). A removed repository's clone stays in the
 *   workspace, as a copied file does (decision: the workspace's content is the agent's).
 * What could not be attached is told at the top of the tool's result, once per change, and the
 * tool still runs. A sandbox provisioned after the change gets it all at provisioning.
 */
export type TSessionAttachments = { memory: TMemoryMount[]; repositories: RepositoryCheckout[] };

/** The session's memory stores and repositories as they are now. */
export type TLoadAttachments = (sessionId: string) => Promise<TSessionAttachments>;

/** Reads them from the database: the memory stores from the session's resources, the repositories (tokens opened) from their rows. */
export function createAttachmentLoader(options: { prisma: PrismaClient; cipher: () => VaultCipher; repositories: TLoadRepositories }): TLoadAttachments {
  return async (sessionId) => {
    const session = await options.prisma.session.findUnique({ where: { id: sessionId }, select: { resources: true } });
    const memory = memoryMountsOf(Array.isArray(session?.resources) ? session.resources : []);
    const repositories = session ? await options.repositories(options.prisma, options.cipher, sessionId) : [];
    return { memory, repositories };
  };
}

const mountKey = (mounts: readonly TMemoryMount[]) => JSON.stringify(mounts.map((m) => [m.storeId, m.name, m.readOnly]));

/**
 * Brings the lease's sandbox in line with `now` (what the session has), between tool calls
 * (`oneAtATime`: never while a call of a session with memory stores runs). Returns notes for what
 * could not be done. Nothing to do, nothing asked of the sandbox.
 */
export async function syncAttachments(lease: TSandboxLease, now: TSessionAttachments): Promise<string[]> {
  const memoryChanged = mountKey(lease.memory) !== mountKey(now.memory);
  const added = now.repositories.filter((r) => !lease.repositories.has(r.mountPath));
  if (!memoryChanged && added.length === 0) return [];
  const tried = JSON.stringify([mountKey(now.memory), added.map((r) => r.mountPath)]);
  if (lease.attachmentsTried === tried) return [];
  return oneAtATime(lease.sandbox, async () => {
    lease.attachmentsTried = tried;
    const notes: string[] = [];
    if (memoryChanged) {
      try {
        await lease.sandbox.attach({ memoryMounts: now.memory.map((m) => ({ name: m.name, readOnly: m.readOnly })), repositories: [] });
        lease.memory = now.memory;
      } catch (error) {
        notes.push(`The session's memory stores could not be mounted or unmounted in this sandbox: ${reasonOf(error)}`);
      }
    }
    for (const repo of added) {
      if (repo.token) lease.addSecrets([repo.token]);
      try {
        await lease.sandbox.attach({ memoryMounts: lease.memory.map((m) => ({ name: m.name, readOnly: m.readOnly })), repositories: [repo] });
        lease.repositories.add(repo.mountPath);
      } catch (error) {
        notes.push(`The repository ${repo.url} was not cloned to ${repo.mountPath}: ${reasonOf(error)}`);
      }
    }
    return notes.map((n) => lease.redact(n));
  });
}

function reasonOf(error: unknown): string {
  return isSandboxError(error) ? error.message : "an internal error";
}
