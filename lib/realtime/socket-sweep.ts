import type { Logger } from "@/lib/log";
import type { RealtimeServer } from "./realtime-server";

/**
 * The periodic sweep behind every "access taken away" rule of the socket servers (a member removed
 * from a team, a share link revoked): each socket carries the grants that let it in (on
 * `socket.data`); every `everyMs` the server groups its own sockets by grant, asks the database in
 * batches which grants still hold, and disconnects the sockets of those that do not. It catches
 * what the instant path (an announcement in the process) cannot: a change made where no socket
 * server runs, or a join that raced it.
 *
 * Once per server and kind (`name`): a second call returns the first handle. It stops with the
 * server's HTTP server, or on `stop()`.
 */
export type TSocketSweep = {
  /** Checks this server's sockets once; returns how many were disconnected. Concurrent calls share one pass. */
  sweep(): Promise<number>;
  stop(): void;
};

export type TSocketSweepOptions<TGrant> = {
  /** Which kind of grant is swept: one sweep per server and name. */
  name: string;
  /** The grants recorded on a socket's data, each under a key that names it. */
  grantsOf(data: unknown): Iterable<readonly [key: string, grant: TGrant]>;
  /** Of one batch of grants, the keys of those that still hold (one query). */
  stillHeld(grants: TGrant[]): Promise<Iterable<string>>;
  batchSize: number;
  everyMs: number;
  log: Logger;
  /** Static log messages: after a pass that disconnected sockets, and after a pass that failed. */
  messages: { disconnected: string; failed: string };
  /** Started with the sweep, once per server (e.g. a listener for announcements); returns what stops it. */
  alongside?(): () => void;
};

type TSweepIo = Pick<RealtimeServer, "local">;
type TSweepSocket = Awaited<ReturnType<RealtimeServer["local"]["fetchSockets"]>>[number];

const attached = new WeakMap<object, Map<string, TSocketSweep>>();

export function attachSocketSweep<TGrant>(io: TSweepIo, options: TSocketSweepOptions<TGrant>): TSocketSweep {
  const sweeps = attached.get(io) ?? new Map<string, TSocketSweep>();
  attached.set(io, sweeps);
  const existing = sweeps.get(options.name);
  if (existing) return existing;

  const stopAlongside = options.alongside?.();
  let sweeping: Promise<number> | null = null;
  const sweepOnce = async (): Promise<number> => {
    const byKey = new Map<string, { grant: TGrant; sockets: Set<TSweepSocket> }>();
    for (const socket of await io.local.fetchSockets()) {
      for (const [key, grant] of options.grantsOf(socket.data)) {
        const entry = byKey.get(key) ?? { grant, sockets: new Set() };
        entry.sockets.add(socket);
        byKey.set(key, entry);
      }
    }
    const entries = [...byKey.entries()];
    let count = 0;
    for (let i = 0; i < entries.length; i += options.batchSize) {
      const batch = entries.slice(i, i + options.batchSize);
      const held = new Set(await options.stillHeld(batch.map(([, entry]) => entry.grant)));
      for (const [key, { sockets }] of batch) {
        if (held.has(key)) continue;
        for (const socket of sockets) {
          socket.disconnect(true);
          count += 1;
        }
      }
    }
    if (count > 0) options.log.info(options.messages.disconnected, { reason: "sweep", count });
    return count;
  };
  const sweep = (): Promise<number> => {
    sweeping ??= sweepOnce().finally(() => (sweeping = null));
    return sweeping;
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => options.log.warn(options.messages.failed, { error }));
  }, options.everyMs);
  timer.unref?.();

  const handle: TSocketSweep = {
    sweep,
    stop() {
      stopAlongside?.();
      clearInterval(timer);
      if (sweeps.get(options.name) === handle) sweeps.delete(options.name);
    },
  };
  sweeps.set(options.name, handle);
  (io as { httpServer?: { once?(event: "close", listener: () => void): unknown } }).httpServer?.once?.("close", () => handle.stop());
  return handle;
}
