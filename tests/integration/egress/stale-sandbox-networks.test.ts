import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSandboxProvider } from "@/lib/sandbox/local";
import { until } from "@/tests/fixtures/wait";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

/**
 * A SIGKILLed worker leaves its sandboxes' network namespaces in /run/netns. Any process that
 * starts a local provider removes those of owners that are gone, at once and then periodically,
 * and never one of a live process. Owners are real processes (fixtures/networked-owner.ts) running
 * the real provider; the prefix only keeps this file apart from other processes on the machine.
 */

const FIXTURE = fileURLToPath(new URL("./fixtures/networked-owner.ts", import.meta.url));
const PREFIX = "omasweep-";
const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet } as never;

let base: string;
const owners = new Set<ChildProcess>();
const providers: LocalSandboxProvider[] = [];

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("these tests need root (ip netns)");
  base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-sweep-"));
  await fs.chmod(base, 0o711);
});

afterAll(async () => {
  for (const owner of owners) owner.kill("SIGKILL");
  await Promise.all(providers.map((p) => p.shutdown()));
  for (const name of namespaces()) execFileSync("ip", ["netns", "delete", name]);
  if (base) await fs.rm(base, { recursive: true, force: true });
});

function namespaces(): string[] {
  try {
    return readdirSync("/run/netns").filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
}

/** Starts an owner with `count` networked sandboxes; resolves once they are up, with their namespaces. */
function startOwner(count: number): Promise<{ process: ChildProcess; names: string[] }> {
  const rootDir = path.join(base, `owner-${owners.size}`, "sandboxes");
  const child = spawn(process.execPath, [...NODE_HOOKS, FIXTURE, rootDir, PREFIX, String(count)], { stdio: ["ignore", "pipe", "pipe"] });
  owners.add(child);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("\n")) resolve({ process: child, names: JSON.parse(stdout) as string[] });
    });
    child.once("exit", (code) => reject(new Error(`owner exited ${code}: ${stderr}`)));
  });
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** Waits (bounded) until none of `names` is in /run/netns, naming those still there at the deadline; returns those left. */
async function gone(names: string[], deadlineMs = 10_000): Promise<string[]> {
  const left = () => names.filter((n) => existsSync(`/run/netns/${n}`));
  await until("the network namespaces to be removed", () => left().length === 0, {
    timeoutMs: deadlineMs,
    intervalMs: 50,
    detail: () => `still in /run/netns: ${left().join(", ")}`,
  });
  return left();
}

function newProvider(networkSweepMs?: number): LocalSandboxProvider {
  const provider = new LocalSandboxProvider({
    rootDir: path.join(base, `sweeper-${providers.length}`, "sandboxes"),
    egress: { namespacePrefix: PREFIX },
    networkSweepMs,
    logger: quiet,
  });
  providers.push(provider);
  return provider;
}

describe("network namespaces of owners that are gone", () => {
  let live: { process: ChildProcess; names: string[] };

  it("are left behind by a SIGKILLed owner, and removed by the next process to start; a live owner's stay", async () => {
    live = await startOwner(2);
    const doomed = await startOwner(3);
    expect(doomed.names).toHaveLength(3);
    await sigkill(doomed.process);
    expect(namespaces()).toEqual(expect.arrayContaining(doomed.names)); // what a crash leaves

    // Names whose pid is alive but belongs to another process (pid reuse): the live owner's pid
    // with another start time. And one in the older `<pid>-<random>` form whose pid is free.
    const pidMax = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8").trim());
    const reused = `${PREFIX}${live.process.pid}-1-0badc0de`;
    const older = `${PREFIX}${pidMax + 1}-deadbeef`;
    for (const name of [reused, older]) execFileSync("ip", ["netns", "add", name]);

    newProvider(); // what a web server or worker does at boot
    expect(await gone([...doomed.names, reused, older])).toEqual([]);
    expect(live.names).toHaveLength(2);
    for (const name of live.names) expect(existsSync(`/run/netns/${name}`)).toBe(true);
  });

  it("are removed periodically while a process runs, never a live owner's", async () => {
    newProvider(500);
    const doomed = await startOwner(2);
    await sigkill(doomed.process);
    expect(await gone(doomed.names)).toEqual([]);
    for (const name of live.names) expect(existsSync(`/run/netns/${name}`)).toBe(true);
  });
});
