import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// scripts/install-system-deps.sh, the set-up step of `npm start`, `npm test` and CI, run against
// stand-ins of dpkg-query, apt-get, id and sudo on a PATH of their own: each case sets which
// packages are missing and who runs it, and the stand-ins record what would have been run. The
// machine's own packages are never touched (nothing installed, nothing removed). The last case
// runs the script for real: on a machine set up by it, nothing is missing.

const SCRIPT = path.resolve("scripts/install-system-deps.sh");
const ALL = ["bubblewrap", "util-linux", "iproute2", "openssl", "ripgrep", "chromium"];

type TMachine = { missing: string[]; uid: number; sudo?: "none" | "passwordless" | "password"; aptFails?: boolean; args?: string[] };
const dirs: string[] = [];

function stub(dir: string, name: string, body: string): void {
  fs.writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
}

function run(machine: TMachine) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-sysdeps-"));
  dirs.push(dir);
  const calls = path.join(dir, "calls.log");
  fs.writeFileSync(calls, "");
  fs.symlinkSync("/usr/bin/env", path.join(dir, "env"));
  stub(dir, "dpkg-query", `for p in ${machine.missing.join(" ")}; do [ "\${@: -1}" = "$p" ] && exit 1; done; printf installed`);
  stub(dir, "apt-get", `echo "apt-get $*" >> ${calls}; exit ${machine.aptFails ? 100 : 0}`);
  stub(dir, "id", `echo ${machine.uid}`);
  if (machine.sudo === "passwordless") stub(dir, "sudo", `[ "$1" = -n ] && shift; [ "$1" = true ] && exit 0; echo "sudo $*" >> ${calls}; exec "$@"`);
  if (machine.sudo === "password") stub(dir, "sudo", `[ "$1" = -n ] && { echo "sudo: a password is required" >&2; exit 1; }; echo "sudo $*" >> ${calls}; exec "$@"`);
  const result = spawnSync("/bin/bash", [SCRIPT, ...(machine.args ?? [])], { env: { PATH: dir, NODE_ENV: "test" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const recorded = fs.readFileSync(calls, "utf8").split("\n").filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the system-package set-up step", () => {
  it("does nothing when every package is installed", () => {
    const result = run({ missing: [], uid: 0 });
    expect(result).toMatchObject({ status: 0, calls: [] });
    expect(result.stdout).toContain(`all present (${ALL.join(" ")})`);
  });

  it("installs what is missing as root, and only that", () => {
    const result = run({ missing: ["bubblewrap", "chromium"], uid: 0 });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual(["apt-get update", "apt-get install -y --no-install-recommends bubblewrap chromium"]);
  });

  it("leaves the browser out for the server's own start (--runtime)", () => {
    expect(run({ missing: ["chromium"], uid: 0, args: ["--runtime"] })).toMatchObject({ status: 0, calls: [] });
    expect(run({ missing: ["bubblewrap", "chromium"], uid: 0, args: ["--runtime"] }).calls).toEqual([
      "apt-get update",
      "apt-get install -y --no-install-recommends bubblewrap",
    ]);
  });

  it("goes through sudo when not root and sudo needs no password", () => {
    const result = run({ missing: ["bubblewrap"], uid: 1000, sudo: "passwordless" });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      "sudo env DEBIAN_FRONTEND=noninteractive apt-get update",
      "apt-get update",
      "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap",
      "apt-get install -y --no-install-recommends bubblewrap",
    ]);
  });

  it.each([
    ["sudo is not installed", "none" as const, "not root, and sudo is not installed"],
    ["sudo needs a password and no terminal can give it", "password" as const, "not root, and sudo needs a password but there is no terminal to ask"],
  ])("prints the exact command in one line when %s", (_, sudo, why) => {
    const result = run({ missing: ["bubblewrap", "chromium"], uid: 1000, sudo });
    expect(result.status).toBe(1);
    expect(result.calls).toEqual([]);
    expect(result.stderr).toBe(`install-system-deps: missing bubblewrap chromium (${why}); run: sudo apt-get update && sudo apt-get install -y --no-install-recommends bubblewrap chromium\n`);
  });

  it("prints the command when apt-get fails", () => {
    const result = run({ missing: ["ripgrep"], uid: 0, aptFails: true });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe("install-system-deps: missing ripgrep (apt-get update failed); run: apt-get update && apt-get install -y --no-install-recommends ripgrep");
  });

  it("finds nothing missing on this machine, which it set up", () => {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(result.stdout).toContain("all present");
    expect(result.status).toBe(0);
  });
});
