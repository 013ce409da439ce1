import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxProvider } from "@/lib/sandbox";

export interface ContractTarget {
  provider: SandboxProvider;
  teardown?: () => Promise<void>;
}

/**
 * Behaviour every SandboxProvider must have, whatever isolates it. Run once per provider:
 * `describeSandboxContract("local", async () => ({ provider: new LocalSandboxProvider(…) }))`.
 */
export function describeSandboxContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`SandboxProvider contract: ${name}`, () => {
    let target: ContractTarget;
    let sandbox: Sandbox;

    beforeAll(async () => {
      target = await setup();
      sandbox = await target.provider.provision({ sessionId: "sesn_contract", env: { GREETING: "hello" } });
    });
    afterAll(async () => {
      await sandbox?.destroy();
      await target?.teardown?.();
    });

    it("runs a command and reports stdout, stderr and the exit code", async () => {
      const result = await sandbox.exec("echo out; echo err >&2; exit 3");
      expect(result).toMatchObject({ exitCode: 3, stdout: "out\n", stderr: "err\n", timedOut: false, truncated: false });
    });

    it("starts in /workspace with the provision env and feeds stdin", async () => {
      const result = await sandbox.exec('pwd; echo "$GREETING"; cat', { stdin: "from stdin" });
      expect(result.stdout).toBe("/workspace\nhello\nfrom stdin");
    });

    it("keeps files in /workspace across execs", async () => {
      await sandbox.exec("mkdir -p dir && echo persisted > dir/file.txt");
      expect((await sandbox.exec("cat dir/file.txt")).stdout).toBe("persisted\n");
    });

    it("reads and writes workspace files from the host side", async () => {
      await sandbox.writeFile("/workspace/nested/deep/host.txt", "written by host\n");
      expect((await sandbox.exec("cat nested/deep/host.txt && echo more >> nested/deep/host.txt")).exitCode).toBe(0);
      expect((await sandbox.readFile("nested/deep/host.txt")).toString()).toBe("written by host\nmore\n");
      await sandbox.writeFile("nested/deep/host.txt", Buffer.from([0, 1, 2]));
      expect([...(await sandbox.readFile("nested/deep/host.txt"))]).toEqual([0, 1, 2]);
    });

    it("reports missing files and directories with typed errors", async () => {
      await expect(sandbox.readFile("does/not/exist.txt")).rejects.toMatchObject({ code: "not_found" });
      await expect(sandbox.readFile("nested")).rejects.toMatchObject({ code: "not_a_file" });
    });

    it("refuses host-side paths that leave the workspace", async () => {
      for (const path of ["../../etc/passwd", "/etc/passwd", "/workspace/../etc/hostname"]) {
        await expect(sandbox.readFile(path)).rejects.toMatchObject({ code: "path_outside_workspace" });
        await expect(sandbox.writeFile(path, "x")).rejects.toMatchObject({ code: "path_outside_workspace" });
      }
    });

    it("kills a command that outlives its timeout", async () => {
      const started = Date.now();
      const result = await sandbox.exec("sleep 30", { timeoutMs: 1_000 });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      expect(Date.now() - started).toBeLessThan(1_000 + 4_000);
      expect((await sandbox.exec("echo still here")).stdout).toBe("still here\n");
    });

    it("caps runaway output, keeping its head and tail", async () => {
      const result = await sandbox.exec("echo FIRST; yes | head -c 30000000; echo; echo LAST");
      expect(result.exitCode).toBe(0);
      expect(result.truncated).toBe(true);
      expect(result.stdout.length).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect(result.stdout.startsWith("FIRST\n")).toBe(true);
      expect(result.stdout.trimEnd().endsWith("LAST")).toBe(true);
      expect(result.stdout).toMatch(/\[… \d+ bytes truncated …\]/);
    });

    it("is gone after destroy, and destroy is idempotent", async () => {
      const doomed = await target.provider.provision({ sessionId: "sesn_contract_doomed" });
      await doomed.writeFile("a.txt", "a");
      expect(await doomed.isAlive()).toBe(true);
      await doomed.destroy();
      await doomed.destroy();
      expect(await doomed.isAlive()).toBe(false);
      await expect(doomed.exec("true")).rejects.toMatchObject({ code: "sandbox_dead" });
      await expect(doomed.readFile("a.txt")).rejects.toMatchObject({ code: "sandbox_dead" });
    });

    it("gives each sandbox its own workspace", async () => {
      const other = await target.provider.provision({ sessionId: "sesn_contract_other" });
      try {
        await sandbox.writeFile("mine.txt", "mine");
        await expect(other.readFile("mine.txt")).rejects.toMatchObject({ code: "not_found" });
        expect((await other.exec("ls -A /workspace")).stdout).toBe("");
      } finally {
        await other.destroy();
      }
    });
  });
}
