import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSandboxProvider } from "@/lib/sandbox/local";
import { until } from "@/tests/fixtures/wait";
import { makeLocalFixture, requireBubblewrap, type LocalFixture } from "./local-fixture";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

describe("local sandbox lifecycle", () => {
  let fixture: LocalFixture;

  beforeAll(async () => {
    requireBubblewrap();
    fixture = await makeLocalFixture({ idleMs: 60_000 });
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  const workspaceDirs = async () => (await fs.readdir(path.join(fixture.dataDir, "sandboxes"))).filter((n) => n !== ".etc");
  /** Resolves once the command run by `exec` has touched `marker` in the workspace of `sessionId`: it is running. */
  const untilTouched = async (sessionId: string, marker: string) => {
    const dir = (await workspaceDirs()).find((name) => name.startsWith(`${sessionId}-`));
    await until(`the command in ${sessionId} to start`, () => existsSync(path.join(fixture.dataDir, "sandboxes", dir!, marker)));
  };

  it("reclaims sandboxes idle for idleMs, and only those", async () => {
    const idle = await fixture.provider.provision({ sessionId: "sesn_idle" });
    const busy = await fixture.provider.provision({ sessionId: "sesn_busy" });
    expect(await fixture.provider.reclaimIdle(Date.now() + 30_000)).toEqual([]);

    const running = busy.exec("touch started; sleep 1; echo done");
    await untilTouched("sesn_busy", "started");
    expect(await fixture.provider.reclaimIdle(Date.now() + 61_000)).toEqual([idle.id]);
    expect(await idle.isAlive()).toBe(false);
    await expect(idle.exec("true")).rejects.toMatchObject({ code: "sandbox_dead" });
    expect((await running).stdout).toBe("done\n");
    expect(await busy.isAlive()).toBe(true);
    expect(await fixture.provider.reclaimIdle(Date.now() + 61_000)).toEqual([busy.id]);
    expect(await workspaceDirs()).toEqual([]);
  });

  it("destroy kills running commands and removes the workspace", async () => {
    const sandbox = await fixture.provider.provision({ sessionId: "sesn_destroy" });
    const [dir] = await workspaceDirs();
    const outcome = sandbox.exec("touch started; sleep 30").then(
      () => "finished",
      (error: unknown) => error,
    );
    await untilTouched("sesn_destroy", "started");
    const started = Date.now();
    await sandbox.destroy();
    expect(await outcome).toMatchObject({ code: "sandbox_dead" });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(existsSync(path.join(fixture.dataDir, "sandboxes", dir!))).toBe(false);
  });

  it("reports a workspace deleted behind its back as a dead sandbox", async () => {
    const sandbox = await fixture.provider.provision({ sessionId: "sesn_vanish" });
    const [dir] = await workspaceDirs();
    await fs.rm(path.join(fixture.dataDir, "sandboxes", dir!), { recursive: true });
    expect(await sandbox.isAlive()).toBe(false);
    await expect(sandbox.exec("true")).rejects.toMatchObject({ code: "sandbox_dead" });
    await expect(sandbox.readFile("a")).rejects.toMatchObject({ code: "sandbox_dead" });
    await sandbox.destroy();
  });

  it("runs concurrent commands against one workspace", async () => {
    const sandbox = await fixture.provider.provision({ sessionId: "sesn_parallel" });
    const results = await Promise.all([1, 2, 3, 4].map((n) => sandbox.exec(`sleep 0.3; echo ${n} > f${n}; echo ${n}`)));
    expect(results.map((r) => r.stdout)).toEqual(["1\n", "2\n", "3\n", "4\n"]);
    expect((await sandbox.exec("cat f1 f2 f3 f4")).stdout).toBe("1\n2\n3\n4\n");
    await sandbox.destroy();
  });

  it("refuses to provision where the sandbox user cannot reach the workspace", async () => {
    const locked = await fs.mkdtemp(path.join(os.tmpdir(), "oma-locked-"));
    await fs.chmod(locked, 0o700);
    const provider = new LocalSandboxProvider({ rootDir: path.join(locked, "sandboxes") });
    try {
      await expect(provider.provision({ sessionId: "sesn_locked" })).rejects.toMatchObject({
        code: "provision_failed",
        message: expect.stringContaining("must be able to traverse every parent"),
      });
      expect(await fs.readdir(path.join(locked, "sandboxes"))).toEqual([".etc"]);
    } finally {
      await provider.shutdown();
      await fs.rm(locked, { recursive: true, force: true });
    }
  });

  it("rejects environment variable names bwrap would mangle", async () => {
    await expect(fixture.provider.provision({ sessionId: "s", env: { "BAD NAME": "x" } })).rejects.toMatchObject({
      code: "provision_failed",
    });
  });
});

describe("local sandbox: descriptors inherited by the server", () => {
  it("are closed before the command runs", async () => {
    requireBubblewrap();
    const fixture = await makeLocalFixture();
    try {
      const script = fileURLToPath(new URL("./fixtures/exec-with-inherited-fd.ts", import.meta.url));
      const child = spawnSync(process.execPath, [...NODE_HOOKS, script, path.join(fixture.dataDir, "fd-sandboxes")], {
        // fds 3..99 closed, fd 100 an inherited socket (see the fixture for why a high one).
        stdio: ["ignore", "pipe", "pipe", ...Array<"ignore">(97).fill("ignore"), "pipe"],
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(child.stderr).toBe("");
      const seen = JSON.parse(child.stdout) as { target: string; plain: number; sandboxed: number };
      expect(seen.target).toMatch(/^socket:\[\d+\]$/);
      expect(seen.plain).toBe(1); // control: an ordinary child does inherit the descriptor
      expect(seen.sandboxed).toBe(0);
    } finally {
      await fixture.cleanup();
    }
  });
});
