import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireBubblewrap } from "./local-fixture";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

/**
 * The documented fallback of a server that is not root (it cannot create network namespaces): its
 * sandboxes run with no network at all, whatever the policy asks, and it says so once in its log.
 * The provider runs in a child process as uid 1000.
 */
describe("the local provider, run by an ordinary user", () => {
  it("provisions networked policies without network, and warns once", async () => {
    requireBubblewrap();
    if (process.getuid?.() !== 0) throw new Error("this test needs root, to start the provider as uid 1000");
    const base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-unpriv-"));
    try {
      await fs.chmod(base, 0o777);
      const script = fileURLToPath(new URL("./fixtures/provision-unprivileged.ts", import.meta.url));
      const child = spawnSync(
        "setpriv",
        ["--reuid=1000", "--regid=1000", "--clear-groups", process.execPath, ...NODE_HOOKS, script, path.join(base, "sandboxes")],
        // Cast: the project's ambient types make NODE_ENV a required key; a minimal env is intended.
        { encoding: "utf8", timeout: 90_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: base } as unknown as NodeJS.ProcessEnv },
      );
      expect(child.stderr).toBe("");
      const seen = JSON.parse(child.stdout) as { stdout: string; exitCode: number; lines: string[] };
      expect(seen.exitCode).toBe(0);
      expect(seen.stdout.trim().split("\n")).toEqual(["uid=1000 proxy=none", "lo"]);
      const warnings = seen.lines.filter((l) => l.includes("sandboxes get no network: network namespaces need the server to run as root"));
      expect(warnings).toHaveLength(1);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});
