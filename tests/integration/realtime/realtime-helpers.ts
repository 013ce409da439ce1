import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io, type Socket } from "socket.io-client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createLogger } from "@/lib/log";
import { authorizeByApiKey } from "@/lib/realtime/authorize-viewer";
import type { EventBus } from "@/lib/realtime/event-bus";
import type { TJoinAck, TPresencePayload, TPreviewPayload, TWireEventWithSeq } from "@/lib/realtime/session-protocol";
import { attachSocketServer, SOCKET_PATH } from "@/lib/realtime/socket-server";
import type { SessionStore } from "@/lib/event-log/session-store";
import { observeFor, until } from "@/tests/fixtures/wait";
import { authenticateNamedApiKey } from "@/lib/teams/api-keys/authenticate-api-key";

export const quietLog = createLogger({ level: "error" });

export type TTestServer = { url: string; close(): Promise<void> };

/** A Socket.io server (no Next.js) on a free loopback port, authorizing by API key. */
export async function startRealtimeServer(options: {
  prisma: PrismaClient;
  store: SessionStore;
  bus: EventBus;
  redisUrl?: string;
  adapterKey?: string;
  pollMs?: number;
}): Promise<TTestServer> {
  const httpServer = createServer();
  const realtime = await attachSocketServer(httpServer, {
    store: options.store,
    bus: options.bus,
    authorize: authorizeByApiKey({ authenticate: (key) => authenticateNamedApiKey({ prisma: options.prisma, sql: options.prisma }, key), store: options.store }),
    redisUrl: options.redisUrl,
    adapterKey: options.adapterKey,
    pollMs: options.pollMs,
    log: quietLog,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => realtime.close() };
}

/** How a test viewer authenticates: an API key, or handshake fields (`shareToken`) and/or a cookie. */
export type TViewerCredentials = string | { auth?: Record<string, string>; cookie?: string };

/** A viewer's socket and everything it received, per session. */
export class TestViewer {
  readonly socket: Socket;
  readonly events: TWireEventWithSeq[] = [];
  readonly previews: TPreviewPayload[] = [];
  readonly presence: TPresencePayload[] = [];
  readonly deleted: string[] = [];
  /** Why the socket was disconnected ("io server disconnect" when the server cut it), or null. */
  disconnectReason: string | null = null;

  constructor(url: string, credentials?: TViewerCredentials) {
    const { auth, cookie } = typeof credentials === "string" ? { auth: { apiKey: credentials }, cookie: undefined } : (credentials ?? {});
    this.socket = io(url, { path: SOCKET_PATH, transports: ["websocket"], reconnection: false, auth: auth ?? {}, extraHeaders: cookie ? { cookie } : {} });
    this.socket.on("session:events", (p) => this.events.push(...p.events));
    this.socket.on("session:preview", (p) => this.previews.push(p));
    this.socket.on("session:presence", (p) => this.presence.push(p));
    this.socket.on("session:deleted", (p) => this.deleted.push(p.sessionId));
    this.socket.on("disconnect", (reason) => (this.disconnectReason = reason));
  }

  /** The texts of the agent messages received. */
  texts(): string[] {
    return this.events.flatMap((e) => (e.type === "agent.message" ? e.content.map((b) => ("text" in b ? b.text : "")) : []));
  }

  join(sessionId: string, afterSeq = 0): Promise<TJoinAck> {
    return this.socket.timeout(10_000).emitWithAck("session:join", { sessionId, afterSeq });
  }

  leave(sessionId: string): Promise<unknown> {
    return this.socket.timeout(10_000).emitWithAck("session:leave", { sessionId });
  }

  seqs(): number[] {
    return this.events.map((e) => e.seq);
  }

  lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Names in the latest presence (the highest version) received for the session. */
  viewerNames(sessionId: string): string[] | undefined {
    const latest = this.presence.filter((p) => p.sessionId === sessionId).sort((a, b) => b.version - a.version)[0];
    return latest?.viewers.map((v) => v.name);
  }

  close(): void {
    this.socket.close();
  }
}

/** The shared `until`, with the realtime tests' deadline (10 s) and a short pause between checks. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await until(what, condition, { timeoutMs, intervalMs: 10 });
}

/** A window in which an extra (duplicate or late) message, still in flight, would arrive and be seen. */
export const settle = (ms = 300) => observeFor(ms, "no duplicate or unexpected message to arrive");

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
