import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalSandboxProvider, type LocalSandboxProviderOptions } from "@/lib/sandbox/local";

/** Fails (never skips) when the machine lacks bubblewrap. */
export function requireBubblewrap(): void {
  const probe = spawnSync("bwrap", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new Error("bubblewrap missing: run scripts/install-system-deps.sh");
}

/** The host uid sandboxes run as: 1000 under a root server, the server's own uid otherwise. */
export const SANDBOX_HOST_UID = process.getuid?.() === 0 ? 1000 : (process.getuid?.() ?? 1000);

/** Runs argv on the host as the sandbox's host user (for controls: "this uid could read it"). */
export function spawnAsSandboxUser(argv: string[]) {
  const drop = process.getuid?.() === 0 ? ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups"] : [];
  const [file, ...args] = [...drop, ...argv];
  return spawnSync(file!, args, { encoding: "utf8" });
}

export interface LocalFixture {
  /** Stands in for the server's DATA_DIR. */
  dataDir: string;
  /** A file next to the workspaces that sandboxes must never see (think: the database). */
  secretFile: string;
  secretContent: string;
  provider: LocalSandboxProvider;
  cleanup(): Promise<void>;
}

/**
 * A DATA_DIR with a planted "database" file readable by any user and reachable by the sandbox
 * user (0711 directories), so only the sandbox's isolation keeps it hidden, not permissions.
 */
export async function makeLocalFixture(options: Partial<LocalSandboxProviderOptions> = {}): Promise<LocalFixture> {
  requireBubblewrap();
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-sandbox-"));
  await fs.chmod(base, 0o711);
  const dataDir = path.join(base, "data");
  await fs.mkdir(dataDir, { mode: 0o711 });
  const secretContent = `secret-${Math.random().toString(36).slice(2)}`;
  const secretFile = path.join(dataDir, "oma.db");
  await fs.writeFile(secretFile, secretContent, { mode: 0o644 });
  const provider = new LocalSandboxProvider({ rootDir: path.join(dataDir, "sandboxes"), ...options });
  return {
    dataDir,
    secretFile,
    secretContent,
    provider,
    async cleanup() {
      await provider.shutdown();
      await fs.rm(base, { recursive: true, force: true });
    },
  };
}
