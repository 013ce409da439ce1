import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createSandboxNetwork, listenInNamespace, resolveNetworkBinaries, type SandboxNetwork } from "@/lib/sandbox/local/sandbox-network";

/**
 * Setting up a sandbox's network under load: a helper process listens inside the namespace and
 * hands the socket over IPC, then exits. On a busy event loop the exit can be seen before the
 * message is read; a set-up that gave up on the exit failed sessions' first tool call with
 * "cannot listen inside the network namespace (exit 0)".
 */

const PREFIX = "omaload-";
const NETWORKS = 5;
/** Helpers started, BATCH at a time: about one in eight failed before the fix. */
const HELPERS = 100;
const BATCH = 20;
/** Synchronous work the event loop is kept busy with, between short breaks. */
const BUSY_MS = 5;

afterAll(() => {
  // Whatever happened: no namespace of this process is left behind.
  for (const name of ownNamespaces()) execFileSync("ip", ["netns", "delete", name]);
});

function ownNamespaces(): string[] {
  try {
    return readdirSync("/run/netns").filter((n) => n.startsWith(`${PREFIX}${process.pid}-`));
  } catch {
    return [];
  }
}

/** Keeps the event loop busy until stopped: BUSY_MS of synchronous work, then one turn of the loop. */
function busyLoop(): () => void {
  let stopped = false;
  const spin = () => {
    if (stopped) return;
    const until = Date.now() + BUSY_MS;
    while (Date.now() < until) {
      // busy
    }
    setImmediate(spin);
  };
  setImmediate(spin);
  return () => {
    stopped = true;
  };
}

describe("sandbox networks set up on a busy event loop", () => {
  it(`hands over every socket: ${NETWORKS} networks, then ${HELPERS} more listeners in them, ${BATCH} at a time`, async () => {
    if (process.getuid?.() !== 0) throw new Error("this test needs root (ip netns)");
    const binaries = await resolveNetworkBinaries();
    const failures: string[] = [];
    const stopBusy = busyLoop();
    let networks: SandboxNetwork[] = [];
    try {
      const created = await Promise.allSettled(Array.from({ length: NETWORKS }, () => createSandboxNetwork({ prefix: PREFIX })));
      networks = created.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      failures.push(...created.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : [])));
      for (let started = 0; started < HELPERS && networks.length > 0; started += BATCH) {
        const results = await Promise.allSettled(
          Array.from({ length: BATCH }, (_, i) => listenInNamespace(binaries, networks[i % networks.length]!.nsPath, "127.0.0.1", 0)),
        );
        for (const result of results) {
          if (result.status === "rejected") failures.push((result.reason as Error).message);
          else {
            expect(result.value.listening).toBe(true);
            result.value.close();
          }
        }
      }
    } finally {
      stopBusy();
      await Promise.all(networks.map((n) => n.destroy()));
    }
    expect(failures).toEqual([]);
    expect(ownNamespaces()).toEqual([]);
  });
});
