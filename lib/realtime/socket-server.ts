import type { IncomingMessage, Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server } from "socket.io";
import { log as processLog, type Logger } from "../log";
import type { TAuthorizeViewer } from "./authorize-viewer";
import { coalescedReads } from "./coalesced-read";
import type { EventBus } from "./event-bus";
import { listenForMemberRemovals } from "./member-removal";
import { LocalPresenceClock, RedisPresenceClock, type PresenceClock } from "./presence-clock";
import { connectRedisPair, type TRedisPair } from "./redis-clients";
import { SessionPresence } from "./session-presence";
import type { RealtimeServer } from "./realtime-server";
import { SessionFeeds } from "./session-feed";
import { handleSessionRoom, type TSessionRoomDeps } from "./session-room";
import { hideCredentials } from "./hide-credentials";
import type { SessionStore } from "@/lib/event-log/session-store";

/** How long a closing server keeps its Redis clients for adapter answers already under way. */
const ADAPTER_DRAIN_MS = 200;

export type { ClientToServerEvents, PingAck, ServerToClientEvents } from "./session-protocol";

// Socket.io on the same HTTP server (and port) as the web app.

export const SOCKET_PATH = "/socket.io";
/** Prefix of the Socket.io Redis adapter's channels and keys. */
export const DEFAULT_ADAPTER_KEY = "oma:socket.io";

export type { RealtimeServer } from "./realtime-server";

export type TRealtimeOptions = {
  store: Pick<SessionStore, "getSession" | "getEvents">;
  bus: EventBus;
  authorize: TAuthorizeViewer;
  /** When set, Socket.io spans every server sharing this Redis server (rooms, presence). */
  redisUrl?: string;
  /** Prefix of the adapter's Redis channels: servers meant to share rooms use the same one. */
  adapterKey?: string;
  /**
   * How often a watched session's log is read besides what the bus delivers (one read per session
   * and server, not per socket). Default: 1 s with an in-memory bus (events appended by other
   * processes are only in the log); 5 s otherwise (a safety net for messages lost while Redis was
   * unreachable).
   */
  pollMs?: number;
  /** Default true. False only for a server standing for another process in a test (see member-removal.ts). */
  listenForMemberRemovals?: boolean;
  log?: Logger;
};

export type TRealtime = {
  io: RealtimeServer;
  /**
   * Disconnects this server's sockets (telling the other servers' viewers who left), closes
   * Socket.io and the HTTP server it is attached to, then the adapter's Redis connections.
   */
  close(): Promise<void>;
};

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value?.split(",")[0]?.trim();
}

/**
 * Same-origin only: a browser request must come from a page served by this host.
 * Requests without an Origin header (non-browser clients) are allowed.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const hosts = [firstHeader(req.headers["x-forwarded-host"]), req.headers.host];
  return hosts.some((host) => host !== undefined && host.toLowerCase() === originHost.toLowerCase());
}

export async function attachSocketServer(httpServer: HttpServer, options: TRealtimeOptions): Promise<TRealtime> {
  const log = (options.log ?? processLog).child({ component: "realtime" });
  const key = options.adapterKey ?? DEFAULT_ADAPTER_KEY;
  let redis: TRedisPair | undefined;
  let clock: PresenceClock = new LocalPresenceClock();
  if (options.redisUrl) {
    redis = await connectRedisPair(options.redisUrl, { log, name: "socket.io-adapter" });
    clock = new RedisPresenceClock(redis.pub, `${key}:presence-clock`);
  }

  const io: RealtimeServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    ...(redis ? { adapter: createAdapter(redis.pub, redis.sub, { key, publishOnSpecificResponseChannel: true }) } : {}),
    allowRequest: (req, callback) => {
      const allowed = isSameOrigin(req);
      if (!allowed) log.warn("socket connection refused", { reason: "cross-origin" });
      callback(null, allowed);
    },
  });
  const presence = new SessionPresence(io, clock, log);
  // a member removed from a team in this process is cut from that team's sessions on every server
  const stopRemovals = options.listenForMemberRemovals === false ? () => {} : listenForMemberRemovals(io, log);
  const feeds = new SessionFeeds(io, { store: options.store, bus: options.bus, log, pollMs: options.pollMs ?? (redis ? 5_000 : 1_000) });
  const getSession = coalescedReads((sessionId: string) => options.store.getSession(sessionId));
  const deps: TSessionRoomDeps = { getSession, feeds, authorize: options.authorize, presence, log };

  // before anything reads or copies the handshake: other servers' fetchSockets() get it through Redis
  io.use((socket, next) => {
    hideCredentials(socket.handshake);
    next();
  });
  io.on("connection", (socket) => {
    log.debug("socket connected", { socketId: socket.id });
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack({ ok: true });
    });
    handleSessionRoom(socket, deps);
    socket.on("disconnect", (reason) => {
      log.debug("socket disconnected", { socketId: socket.id, reason });
    });
  });

  let closing: Promise<void> | undefined;
  return {
    io,
    close() {
      closing ??= (async () => {
        stopRemovals();
        io.local.disconnectSockets(true);
        await presence.settled();
        await new Promise<void>((resolve) => void io.close(() => resolve()));
        // io.close() unsubscribes the Redis adapter, but a request another server sent just before
        // (e.g. its presence's fetchSockets while it closes too) may still be answering: the
        // adapter publishes that answer without catching, so closing its client at once would leave
        // an unhandled rejection. Nothing new arrives once unsubscribed; let the last ones finish.
        if (redis) await new Promise((resolve) => setTimeout(resolve, ADAPTER_DRAIN_MS));
        await redis?.close();
      })();
      return closing;
    },
  };
}
