import "server-only";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";

/**
 * Network namespaces that dead processes left behind, and their removal.
 *
 * A SIGKILLed worker cannot delete its sandboxes' namespaces (`ip netns add` names persist in
 * /run/netns until deleted); its egress proxies, which ran in-process, die with it. So every
 * namespace is named after its owner, `<prefix><pid>-<start>-<random>`, where `start` is the
 * owner's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot). Decision: the
 * start time lives in the name, not in a marker file, so a name alone says whether its owner
 * lives, and there is nothing else to write, read or leave behind. A pid alone is not enough: a pid
 * is reused, and a namespace whose pid now belongs to another process is as dead as one whose pid
 * is free. Namespaces named before this scheme (`<prefix><pid>-<random>`) are judged by the pid only.
 *
 * Every process that may create sandboxes sweeps at its start and every minute (startNetworkSweeper
 * in lib/sandbox/local/network-sweeper.ts, started by LocalSandboxProvider).
 *
 * Assumption: every process that shares /run/netns shares the pid namespace too (one host or one
 * container), so a pid read from a name means the same process to every sweeper.
 */

const NETNS_DIR = "/run/netns";

/** `<pid>-<start>` of this process: the owner part of the namespaces it creates. */
export function ownerTag(): string {
  return `${process.pid}-${startTimeOf(process.pid)}`;
}

/** Whether the owner named in `name` (after `prefix`) is gone: no such process, a zombie, or another process under its pid. */
export function isOwnerGone(name: string, prefix: string): boolean | null {
  const match = /^(\d+)-(?:(\d+)-)?[0-9a-f]+$/.exec(name.slice(prefix.length));
  if (!name.startsWith(prefix) || !match) return null; // not ours: never touched
  const pid = Number(match[1]);
  const stat = readStat(pid);
  if (stat === null || stat.state === "Z") return true;
  return match[2] !== undefined && match[2] !== stat.startTime;
}

/**
 * Deletes, with `deleteNamespace` (`ip netns delete`, run as sandbox-network.ts runs `ip`), the
 * namespaces with `prefix` whose owner is gone. Returns their names.
 */
export async function removeStaleSandboxNetworks(options: { prefix: string; deleteNamespace(name: string): Promise<void> }): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(NETNS_DIR);
  } catch {
    return []; // no namespace was ever named on this machine since boot
  }
  const removed: string[] = [];
  for (const name of names) {
    if (isOwnerGone(name, options.prefix) !== true) continue;
    try {
      await options.deleteNamespace(name);
      removed.push(name);
    } catch {
      // another process's sweep got it first
    }
  }
  return removed;
}

function startTimeOf(pid: number): string {
  const stat = readStat(pid);
  if (!stat) throw new Error(`cannot read /proc/${pid}/stat`);
  return stat.startTime;
}

/** State and start time of a process, or null when there is none. The name (field 2) may hold spaces and parentheses. */
function readStat(pid: number): { state: string; startTime: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3
  return { state: fields[0]!, startTime: fields[19]! };
}
