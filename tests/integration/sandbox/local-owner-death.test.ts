import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "@/tests/fixtures/wait";
import { requireBubblewrap } from "./local-fixture";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

/**
 * A worker SIGKILLed while its sandbox commands start must take them down with it: no command
 * runs to its end, no process of it stays behind. Each owner is a real Node process running the
 * real local provider (fixtures/exec-then-die.ts) that starts 3 commands and SIGKILLs itself 1 to
 * 12 ms later, so owners die from 0 to ~12 ms after a spawn: inside the window before bubblewrap's
 * own --die-with-parent is in force (before the fix, about one command in six escaped).
 */

const FIXTURE = fileURLToPath(new URL("./fixtures/exec-then-die.ts", import.meta.url));
const COMMANDS_PER_OWNER = 3;
const OWNERS = 16;
/** How long a command that escaped would need to leave its marker (it sleeps 3 s) and exit. */
const ESCAPE_DEADLINE_MS = 12_000;
/**
 * An owner whose kill timer ran later than this (a stalled machine) is not a sample of the race:
 * its commands might have finished legitimately. Far below the commands' 3 s.
 */
const LATE_DEATH_MS = 1_000;

let base: string;

beforeAll(async () => {
  requireBubblewrap();
  base = await fs.mkdtemp(path.join(os.tmpdir(), "oma-owner-death-"));
  await fs.chmod(base, 0o711);
});

afterAll(async () => {
  for (const pid of processesUnder(base)) process.kill(pid, "SIGKILL"); // only after a failure
  if (base) await fs.rm(base, { recursive: true, force: true });
});

/** Live processes whose command line names `dir` (every link of a sandbox command names its workspace). */
function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue; // a zombie runs nothing
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(dir)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Runs one owner to its death; resolves with how many children it had when it died, and when. */
function runOwner(rootDir: string, killAtMs: number): Promise<{ rootDir: string; children: number; diedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_HOOKS, FIXTURE, rootDir, String(COMMANDS_PER_OWNER), String(killAtMs)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const death = /children (\d+) after (\d+) ms/.exec(stdout);
      if (signal !== "SIGKILL" || !death) reject(new Error(`owner exited ${code ?? signal}: ${stdout}${stderr}`));
      else resolve({ rootDir, children: Number(death[1]), diedAfterMs: Number(death[2]) });
    });
  });
}

function commandLine(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")}`;
  } catch {
    return `${pid}: (exited)`;
  }
}

async function markers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const workspace of await fs.readdir(dir).catch(() => [])) {
    if (workspace === ".etc") continue;
    for (const name of await fs.readdir(path.join(dir, workspace)).catch(() => [] as string[])) {
      if (name.startsWith("marker-")) found.push(`${workspace}/${name}`);
    }
  }
  return found;
}

describe("a local sandbox whose owner is SIGKILLed right after the spawn", () => {
  it("never runs its command to the end and leaves no process behind", async () => {
    const roots = Array.from({ length: OWNERS }, (_, i) => path.join(base, `owner-${i}`, "sandboxes"));
    // Two owners at a time: the machine is small (and a busy machine only widens the window).
    const deaths: Array<{ rootDir: string; children: number; diedAfterMs: number }> = [];
    for (let i = 0; i < OWNERS; i += 2) {
      const batch = roots.slice(i, i + 2).map((root, j) => runOwner(root, 1 + ((i + j) % 12)));
      deaths.push(...(await Promise.all(batch)));
    }
    const samples = deaths.filter((d) => d.diedAfterMs < LATE_DEATH_MS);
    // The kills hit 30+ commands that had been spawned, not owners that had not spawned yet.
    expect(samples.reduce((sum, d) => sum + d.children, 0)).toBeGreaterThanOrEqual(30);

    // Wait (bounded) for every process of these commands to be gone: at once when they died with
    // their owner; about a second later, after leaving a marker, when one escaped.
    await until("every process of the killed owners' commands to be gone", () => processesUnder(base).length === 0, {
      timeoutMs: ESCAPE_DEADLINE_MS,
      intervalMs: 50,
      detail: () => `still running:\n${processesUnder(base).map((pid) => commandLine(pid).slice(0, 200)).join("\n")}`,
    });
    const left = processesUnder(base).map((pid) => commandLine(pid).slice(0, 200));
    const escaped = (await Promise.all(samples.map((d) => markers(d.rootDir)))).flat();
    expect({ escaped, left }).toEqual({ escaped: [], left: [] });
  });

  it("control: an owner that lives past the command sees its marker", async () => {
    const root = path.join(base, "control", "sandboxes");
    await runOwner(root, 6_000);
    expect((await markers(root)).length).toBe(COMMANDS_PER_OWNER);
  });
});
