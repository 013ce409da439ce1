import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { attachSocketSweep, type TSocketSweepOptions } from "@/lib/realtime/socket-sweep";

const quietLog = createLogger({ level: "error" });

/** A socket server's local sockets, as `attachSocketSweep` sees them. */
function fakeServer(sockets: Array<{ id: string; data: unknown }>) {
  const disconnected: string[] = [];
  const live = sockets.map((socket) => ({ ...socket, disconnect: () => void disconnected.push(socket.id) }));
  const io = { local: { fetchSockets: async () => live } } as unknown as Parameters<typeof attachSocketSweep>[0];
  return { io, disconnected };
}

type TGrants = { teams?: string[]; links?: string[] };
const grants = (data: unknown) => data as TGrants;

function sweepOf(name: string, pick: (data: TGrants) => string[] | undefined, held: Set<string>, calls: string[][], extra: Partial<TSocketSweepOptions<string>> = {}) {
  return {
    name,
    grantsOf: (data: unknown) => (pick(grants(data)) ?? []).map((key) => [key, key] as const),
    async stillHeld(batch: string[]) {
      calls.push(batch);
      return batch.filter((key) => held.has(key));
    },
    batchSize: 2,
    everyMs: 3_600_000,
    log: quietLog,
    messages: { disconnected: "disconnected", failed: "failed" },
    ...extra,
  } satisfies TSocketSweepOptions<string>;
}

describe("attachSocketSweep", () => {
  it("disconnects the sockets of every grant gone, asking in batches, and counts each socket once per grant", async () => {
    const { io, disconnected } = fakeServer([
      { id: "a", data: { teams: ["t1", "t2"] } },
      { id: "b", data: { teams: ["t2"] } },
      { id: "c", data: { teams: ["t3", "t4", "t5"] } },
      { id: "d", data: {} },
    ]);
    const calls: string[][] = [];
    const sweep = attachSocketSweep(io, sweepOf("teams", (d) => d.teams, new Set(["t1", "t4"]), calls));
    try {
      expect(await sweep.sweep()).toBe(4); // a and b for t2, c for t3 and for t5
      expect(calls).toEqual([["t1", "t2"], ["t3", "t4"], ["t5"]]);
      expect(disconnected.sort()).toEqual(["a", "b", "c", "c"]);
    } finally {
      sweep.stop();
    }
  });

  it("keeps one sweep per server and kind, side by side with the other kinds, and stops with what runs alongside", async () => {
    const { io, disconnected } = fakeServer([{ id: "viewer", data: { links: ["l1"], teams: ["t1"] } }]);
    let listening = 0;
    const alongside = () => {
      listening += 1;
      return () => void (listening -= 1);
    };
    const links = attachSocketSweep(io, sweepOf("links", (d) => d.links, new Set(), [], { alongside }));
    const teams = attachSocketSweep(io, sweepOf("teams", (d) => d.teams, new Set(["t1"]), []));
    expect(attachSocketSweep(io, sweepOf("links", (d) => d.links, new Set(), [], { alongside }))).toBe(links);
    expect(listening).toBe(1);
    expect(teams).not.toBe(links);

    expect(await teams.sweep()).toBe(0);
    expect(await links.sweep()).toBe(1);
    expect(disconnected).toEqual(["viewer"]);

    links.stop();
    expect(listening).toBe(0);
    const again = attachSocketSweep(io, sweepOf("links", (d) => d.links, new Set(), [], { alongside }));
    expect(again).not.toBe(links);
    expect(attachSocketSweep(io, sweepOf("teams", (d) => d.teams, new Set(), []))).toBe(teams);
    again.stop();
    teams.stop();
  });

  it("runs one pass at a time: a sweep asked for during a pass shares it", async () => {
    const { io } = fakeServer([{ id: "a", data: { teams: ["gone"] } }]);
    const calls: string[][] = [];
    const sweep = attachSocketSweep(io, sweepOf("teams", (d) => d.teams, new Set(), calls));
    try {
      const [first, second] = await Promise.all([sweep.sweep(), sweep.sweep()]);
      expect([first, second]).toEqual([1, 1]);
      expect(calls).toHaveLength(1);
    } finally {
      sweep.stop();
    }
  });
});
