import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/lib/sandbox";
import { generatedEtcFiles } from "@/lib/sandbox/local/bwrap-command";
import { until } from "@/tests/fixtures/wait";
import {
  makeLocalFixture,
  requireBubblewrap,
  SANDBOX_HOST_UID,
  spawnAsSandboxUser,
  type LocalFixture,
} from "./local-fixture";
import { describeSandboxContract } from "./sandbox-contract";

it("has bubblewrap installed", () => {
  requireBubblewrap();
});

describeSandboxContract("local (bubblewrap)", async () => {
  const fixture = await makeLocalFixture();
  return { provider: fixture.provider, teardown: fixture.cleanup };
});

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, timeout: 2_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });

const PROCESS_LIMIT = 128;

describe("local sandbox: escape attempts fail", () => {
  let fixture: LocalFixture;
  let sandbox: Sandbox;
  let server: http.Server;
  let port: number;
  const hostSecret = `host-secret-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    requireBubblewrap();
    process.env.OMA_HOST_SECRET_TEST = hostSecret;
    fixture = await makeLocalFixture({ limits: { processes: PROCESS_LIMIT } });
    sandbox = await fixture.provider.provision({
      sessionId: "sesn_escape",
      resources: { diskMb: 5, timeoutMs: 20_000 },
    });
    server = http.createServer((_req, res) => res.end("host-only"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    delete process.env.OMA_HOST_SECRET_TEST;
    server?.close();
    await fixture?.cleanup();
  });

  it("cannot reach a server on the host's loopback (nor PostgreSQL's port)", async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("host-only"); // control
    for (const target of [port, 5432]) {
      const result = await sandbox.exec(`exec 3<>/dev/tcp/127.0.0.1/${target} && echo CONNECTED`);
      expect(result.stdout).not.toContain("CONNECTED");
      expect(result.exitCode).not.toBe(0);
    }
    const curl = await sandbox.exec(`curl -sS --max-time 3 http://127.0.0.1:${port}/ || echo BLOCKED`);
    expect(curl.stdout).not.toContain("host-only");
    expect(curl.stdout).toContain("BLOCKED");
    const links = await sandbox.exec("ls /sys/class/net 2>/dev/null || ip -o link | cut -d: -f2");
    expect(links.stdout.trim().split(/\s+/)).toEqual(["lo"]);
  });

  it("does not see the host environment, not even through /proc", async () => {
    expect(process.env.OMA_HOST_SECRET_TEST).toBe(hostSecret); // control: set before provisioning and exec
    const result = await sandbox.exec("env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done; echo rc=$?");
    expect(result.stdout).toContain("HOME=/workspace"); // the command did print environments
    expect(result.stdout).toContain("rc=0");
    expect(result.stdout).not.toContain(hostSecret);
    expect(result.stdout).not.toContain("OMA_HOST_SECRET_TEST");
  });

  it("cannot read files beside the workspace (the database stays invisible)", async () => {
    const control = spawnAsSandboxUser(["cat", fixture.secretFile]);
    expect(control.stdout).toBe(fixture.secretContent); // the same uid could read it if it were mounted
    const result = await sandbox.exec(`cat ${fixture.secretFile}; ls ${fixture.dataDir}; ls /workspace/..; cat /etc/shadow`);
    expect(result.stdout).not.toContain(fixture.secretContent);
    expect(result.stdout).not.toContain("oma.db");
    expect(result.stderr).toContain("No such file or directory");
  });

  it("cannot write outside /workspace and /tmp", async () => {
    const result = await sandbox.exec(
      "for f in /usr/oma-test /etc/oma-test /oma-test /workspace/../oma-test; do touch $f 2>/dev/null && echo WROTE $f; done; " +
        "touch /tmp/ok && echo TMP_OK",
    );
    expect(result.stdout).toBe("TMP_OK\n");
    for (const path of ["/usr/oma-test", "/etc/oma-test", "/oma-test"]) expect(existsSync(path)).toBe(false);
  });

  it("runs as uid 1000 with no capabilities", async () => {
    const result = await sandbox.exec("id -u; id -g; grep CapEff /proc/self/status; unshare -U true 2>/dev/null && echo USERNS");
    expect(result.stdout).toBe("1000\n1000\nCapEff:\t0000000000000000\n");
  });

  it("sees a generated /etc, not the host's", async () => {
    const generated = generatedEtcFiles();
    expect(readFileSync("/etc/passwd", "utf8")).not.toBe(generated.passwd); // control
    const result = await sandbox.exec("cat /etc/passwd; whoami; ls /etc");
    expect(result.stdout).toBe(`${generated.passwd}agent\n${Object.keys(generated).sort().join("\n")}\n`);
  });

  it("survives a fork bomb: the process limit holds and the sandbox stays usable", async () => {
    const started = Date.now();
    let over = false;
    const running = sandbox.exec(":(){ :|:& };:; sleep 3; echo bomb-over", { timeoutMs: 15_000 }).finally(() => (over = true));
    // The sandbox user's processes on the host, counted throughout the bomb's 3 s: the most seen.
    let hostCount = 0;
    await until(
      "the fork bomb's command to end",
      () => {
        hostCount = Math.max(hostCount, Number(spawnSync("sh", ["-c", `ps -u ${SANDBOX_HOST_UID} -o pid= | wc -l`], { encoding: "utf8" }).stdout));
        return over;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const bomb = await running;
    expect(hostCount).toBeGreaterThan(50); // control: the bomb was really multiplying
    expect(hostCount).toBeLessThanOrEqual(PROCESS_LIMIT + 32); // slack: other sandboxes share the uid
    expect(bomb.stderr).toMatch(/fork: .*Resource temporarily unavailable/);
    expect(Date.now() - started).toBeLessThan(15_000 + 5_000);
    expect((await sandbox.exec("echo alive")).stdout).toBe("alive\n");
    expect(spawnSync("true").status).toBe(0); // the host can still start processes
  });

  it("bounds runaway output in memory and in time", async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await sandbox.exec("yes", { timeoutMs: 3_000 });
    expect(result.timedOut).toBe(true);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThan(1024 * 1024 + 100);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it("stops a sleep at the provisioned wall-clock limit, whatever the call asks for", async () => {
    const short = await fixture.provider.provision({ sessionId: "sesn_short", resources: { timeoutMs: 1_500 } });
    const started = Date.now();
    const result = await short.exec("sleep 20; echo woke", { timeoutMs: 60_000 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: "" });
    expect(Date.now() - started).toBeLessThan(1_500 + 3_000);
    await short.destroy();
  });

  it("enforces the file size limit", async () => {
    const result = await sandbox.exec("head -c 20M /dev/zero > big.bin; stat -c %s big.bin");
    expect(result.stderr).toContain("File size limit exceeded");
    expect(Number(result.stdout.trim())).toBe(5 * 1024 * 1024);
  });

  it("enforces the CPU and memory limits", async () => {
    const tight = await fixture.provider.provision({ sessionId: "sesn_tight", resources: { cpuSeconds: 1, memoryMb: 64 } });
    const started = Date.now();
    const spin = await tight.exec("while :; do :; done", { timeoutMs: 20_000 });
    expect(spin.timedOut).toBe(false);
    expect(spin.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    const hog = await tight.exec("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}");
    expect(hog.stdout).not.toContain("200000000");
    expect(hog.exitCode).not.toBe(0);
    await tight.destroy();
  });

  it("refuses host-side reads and writes through symlinks that leave the workspace", async () => {
    const passwdHash = createHash("sha256").update(readFileSync("/etc/passwd")).digest("hex");
    await sandbox.exec(
      `ln -sfn /etc etc-link; ln -sfn /etc/passwd pw; ln -sfn ../../../../../../etc/hostname rel; ` +
        `ln -sfn ${fixture.secretFile} db; ln -sfn /nonexistent/x dangling; echo inside > real.txt; ln -sfn real.txt alias`,
    );
    expect((await sandbox.readFile("alias")).toString()).toBe("inside\n"); // control: inward links work
    await sandbox.writeFile("alias", "changed\n");
    expect((await sandbox.exec("cat real.txt")).stdout).toBe("changed\n");
    for (const path of ["etc-link/passwd", "pw", "rel", "db", "etc-link", "dangling"]) {
      await expect(sandbox.readFile(path)).rejects.toMatchObject({ code: "path_outside_workspace" });
      await expect(sandbox.writeFile(path, "pwned")).rejects.toMatchObject({ code: "path_outside_workspace" });
    }
    await expect(sandbox.writeFile("etc-link/oma-new", "x")).rejects.toMatchObject({ code: "path_outside_workspace" });
    expect(existsSync("/etc/oma-new")).toBe(false);
    expect(existsSync("/nonexistent/x")).toBe(false);
    expect(createHash("sha256").update(readFileSync("/etc/passwd")).digest("hex")).toBe(passwdHash);
    expect(await fs.readFile(fixture.secretFile, "utf8")).toBe(fixture.secretContent);
  });
});

describe("local sandbox: memory mounts", () => {
  let fixture: LocalFixture;
  afterAll(async () => {
    await fixture?.cleanup();
  });

  it("binds each store at /mnt/memory/<name> (read-only ones refuse writes), reads back only regular text files, and removes them with the sandbox", async () => {
    fixture = await makeLocalFixture();
    await expect(fixture.provider.provision({ sessionId: "sesn_badmount", memoryMounts: [{ name: "../etc", readOnly: false }] })).rejects.toMatchObject({ code: "provision_failed" });
    const sandbox = await fixture.provider.provision({
      sessionId: "sesn_memory",
      memoryMounts: [
        { name: "notes", readOnly: false },
        { name: "prefs", readOnly: true },
      ],
    });
    await sandbox.writeMount("notes", new Map([["a.md", "alpha\n"], ["deep/b.md", "beta\n"]]));
    await sandbox.writeMount("prefs", new Map([["p.md", "tabs\n"]]));
    const seen = await sandbox.exec("cat /mnt/memory/notes/a.md /mnt/memory/notes/deep/b.md /mnt/memory/prefs/p.md; ls -A /workspace");
    expect(seen.stdout).toBe("alpha\nbeta\ntabs\n");

    const refused = await sandbox.exec("echo nope > /mnt/memory/prefs/p.md; echo nope > /mnt/memory/prefs/new.md; rm -f /mnt/memory/prefs/p.md");
    expect(refused.stderr).toMatch(/Read-only file system/);
    expect((await sandbox.readMount("prefs", { maxFileBytes: 1000 })).files).toEqual(new Map([["p.md", "tabs\n"]]));

    const written = await sandbox.exec(
      "cd /mnt/memory/notes && echo changed > a.md && rm -r deep && echo new > c.md && ln -s /etc/passwd pw && ln -s " +
        `${fixture.secretFile} db && printf '\\xff\\xfe' > bin.dat && head -c 2000 /dev/zero | tr '\\0' x > big.md`,
    );
    expect(written.exitCode).toBe(0);
    const back = await sandbox.readMount("notes", { maxFileBytes: 1000 });
    expect(back.files).toEqual(new Map([["a.md", "changed\n"], ["c.md", "new\n"]]));
    expect(back.refused).toEqual([
      { path: "big.md", reason: "2000 bytes is over the limit of 1000 bytes" },
      { path: "bin.dat", reason: "not UTF-8 text" },
      { path: "db", reason: "a symbolic link is not a memory" },
      { path: "pw", reason: "a symbolic link is not a memory" },
    ]);

    // the file tools' host-side reads and writes reach the mounts, with the same checks
    expect((await sandbox.readFile("/mnt/memory/notes/c.md")).toString()).toBe("new\n");
    await sandbox.writeFile("/mnt/memory/notes/sub/d.md", "dee\n");
    expect((await sandbox.exec("cat /mnt/memory/notes/sub/d.md")).stdout).toBe("dee\n");
    await expect(sandbox.writeFile("/mnt/memory/prefs/p.md", "x")).rejects.toMatchObject({ code: "io_error", message: expect.stringContaining("read-only") });
    await expect(sandbox.readFile("/mnt/memory/notes/pw")).rejects.toMatchObject({ code: "path_outside_workspace", message: expect.stringContaining("/mnt/memory/notes") });
    await expect(sandbox.writeFile("/mnt/memory/notes/pw", "pwned")).rejects.toMatchObject({ code: "path_outside_workspace" });
    await expect(sandbox.readFile("/mnt/memory/other/x")).rejects.toMatchObject({ code: "not_found" });
    await expect(sandbox.readFile("/mnt/memory/notes/../../../etc/passwd")).rejects.toMatchObject({ code: "path_outside_workspace" });

    // the next call's contents replace the whole tree
    await sandbox.writeMount("notes", new Map([["only.md", "fresh\n"]]));
    expect((await sandbox.exec("ls -A /mnt/memory/notes")).stdout).toBe("only.md\n");
    const mountsDir = `${(await fs.readdir(`${fixture.dataDir}/sandboxes`)).map((n) => `${fixture.dataDir}/sandboxes/${n}`).find((p) => p.endsWith(".memory"))}`;
    expect(existsSync(`${mountsDir}/notes/only.md`)).toBe(true);
    await sandbox.destroy();
    expect(existsSync(mountsDir)).toBe(false);
  });
});
