import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSandboxProvider } from "@/lib/sandbox/local";
import { chooseSandboxRoot, SandboxRootError } from "@/lib/sandbox/local/sandbox-root";
import { createSandboxProviders } from "@/lib/sandbox/providers";
import { requireBubblewrap } from "./local-fixture";

// A checkout under a 0700 home (as /root is), its DATA_DIR inside it: the sandbox user (uid 1000
// under a root server) cannot pass through the home to reach its workspace.

const SANDBOX_USER = { uid: 1000, gid: 1000 };
const isRoot = process.getuid?.() === 0;

describe("where sandbox workspaces go", () => {
  let base: string;
  let home: string;
  let fallbackBase: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-sandbox-root-"));
    await fs.chmod(base, 0o711);
    home = path.join(base, "home");
    await fs.mkdir(path.join(home, "checkout", ".data"), { recursive: true });
    await fs.chmod(home, 0o700);
    fallbackBase = path.join(base, "var-lib");
  });
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it("keeps them under DATA_DIR when the sandbox user can reach it", async () => {
    const dataDir = path.join(base, "open", ".data");
    await fs.mkdir(dataDir, { recursive: true, mode: 0o711 });
    expect(chooseSandboxRoot({ dataDir, user: SANDBOX_USER, fallbackBase })).toEqual({ rootDir: path.join(dataDir, "sandboxes") });
  });

  it("moves them out of a 0700 home, saying where and why", () => {
    const dataDir = path.join(home, "checkout", ".data");
    const chosen = chooseSandboxRoot({ dataDir, user: SANDBOX_USER, fallbackBase });
    expect(path.dirname(path.dirname(chosen.rootDir))).toBe(fallbackBase);
    expect(path.basename(chosen.rootDir)).toBe("sandboxes");
    expect(chosen.rootDir.startsWith(home)).toBe(false);
    expect(chosen.moved).toContain(`cannot pass through ${home} (mode 0700)`);
    expect(chosen.moved).toContain("SANDBOX_DIR");
    // the same DATA_DIR gets the same place in every process of the installation
    expect(chooseSandboxRoot({ dataDir, user: SANDBOX_USER, fallbackBase }).rootDir).toBe(chosen.rootDir);
  });

  it("stops with one line when SANDBOX_DIR is out of the sandbox user's reach", () => {
    const sandboxDir = path.join(home, "sandboxes");
    let error: unknown;
    try {
      chooseSandboxRoot({ dataDir: path.join(base, "open", ".data"), sandboxDir, user: SANDBOX_USER, fallbackBase });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxRootError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^SANDBOX_DIR=${sandboxDir}: the sandbox user \\(uid 1000\\) cannot pass through ${home} \\(mode 0700\\)`));
    expect(message).not.toContain("\n");
  });

  it("stops when the fallback is out of reach too", async () => {
    const closed = path.join(base, "closed");
    await fs.mkdir(closed, { mode: 0o700 });
    expect(() => chooseSandboxRoot({ dataDir: path.join(home, "checkout", ".data"), user: SANDBOX_USER, fallbackBase: closed })).toThrow(/set SANDBOX_DIR/);
  });

  it.runIf(isRoot)("refuses at boot (as the harness builds its providers) an unreachable SANDBOX_DIR", () => {
    expect(() => createSandboxProviders({ DATA_DIR: path.join(base, "open", ".data"), SANDBOX_DIR: path.join(home, "sandboxes"), SANDBOX_IDLE_MS: 60_000 })).toThrow(SandboxRootError);
  });

  it.runIf(isRoot)("runs a tool call in the place it chose, where the default place fails", async () => {
    requireBubblewrap();
    const dataDir = path.join(home, "checkout", ".data");
    const blocked = new LocalSandboxProvider({ rootDir: path.join(dataDir, "sandboxes"), networkSweepMs: 0 });
    const chosen = new LocalSandboxProvider({ rootDir: chooseSandboxRoot({ dataDir, fallbackBase }).rootDir, networkSweepMs: 0 });
    try {
      await expect(blocked.provision({ sessionId: "sesn_root_check_a" })).rejects.toThrow(/traverse every parent/);
      const sandbox = await chosen.provision({ sessionId: "sesn_root_check_b" });
      const result = await sandbox.exec("echo reached > note.txt && cat note.txt");
      expect(result).toMatchObject({ exitCode: 0, stdout: "reached\n" });
    } finally {
      await blocked.shutdown();
      await chosen.shutdown();
    }
  });
});
