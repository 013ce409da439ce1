import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { authorizeByApiKey, type TAuthorizeViewer } from "@/lib/realtime/authorize-viewer";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import { attachSocketServer, type RealtimeServer } from "@/lib/realtime/socket-server";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { authorizeByShareToken } from "@/lib/share/authorize-by-share-token";
import { createShareLink } from "@/lib/share/create-share-link";
import { revokeShareLink } from "@/lib/share/revoke-share-link";
import { attachShareLinkRevocation, type TShareLinkRevocation } from "@/lib/share/share-link-revocation";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { agentMessage, createTestSession, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { observeFor } from "@/tests/fixtures/wait";
import { quietLog, TestViewer, waitFor } from "../realtime/realtime-helpers";
import { authenticateNamedApiKey } from "@/lib/teams/api-keys/authenticate-api-key";

// Share-link viewers on real Socket.io servers (no Next.js), wired as the app server wires them:
// the API-key authorizer, then the share-token one, and revocation attached to the server. With
// Redis, the viewer is on one server and the revocation is made on another.

const redisAvailable = await requireRedis("the Redis variant of the share revocation tests");
const NO_SWEEP = 3_600_000;

type TServer = { url: string; io: RealtimeServer; revocation: TShareLinkRevocation | null; close(): Promise<void> };

async function startServer(options: {
  prisma: PrismaClient;
  store: SessionStore;
  bus: InMemoryEventBus | RedisEventBus;
  redisUrl?: string;
  adapterKey: string;
  /** False for a server whose process must not hear of revocations directly (it stands for another process). */
  revocation: boolean;
}): Promise<TServer> {
  const byApiKey = authorizeByApiKey({ authenticate: (key) => authenticateNamedApiKey({ prisma: options.prisma, sql: options.prisma }, key), store: options.store });
  const byShareToken = authorizeByShareToken({ prisma: options.prisma, attachRevocation: options.revocation });
  const authorize: TAuthorizeViewer = async (socket, sessionId) => (await byApiKey(socket, sessionId)) ?? byShareToken(socket, sessionId);
  const httpServer = createServer();
  const realtime = await attachSocketServer(httpServer, { store: options.store, bus: options.bus, authorize, redisUrl: options.redisUrl, adapterKey: options.adapterKey, log: quietLog });
  const revocation = options.revocation ? attachShareLinkRevocation(realtime.io, { prisma: options.prisma, sweepMs: NO_SWEEP, log: quietLog }) : null;
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io: realtime.io,
    revocation,
    async close() {
      revocation?.stop();
      await realtime.close();
    },
  };
}

describe.each([
  { name: "in one process", redis: false },
  { name: "across two servers sharing Redis", redis: true },
])("revoking a share link $name", ({ redis }) => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: SessionStore;
  let prereqs: TSessionPrereqs;
  let viewerServer: TServer;
  let revokingServer: TServer;
  const buses: Array<InMemoryEventBus | RedisEventBus> = [];
  const viewers: TestViewer[] = [];
  const viewer = (auth: Record<string, string>, server = viewerServer) => {
    const v = new TestViewer(server.url, { auth });
    viewers.push(v);
    return v;
  };

  beforeAll(async () => {
    if (redis && !redisAvailable) return;
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
    const adapterKey = uniquePrefix("share-adapter");
    const channelPrefix = uniquePrefix("share-bus");
    const newBus = async () => (redis ? RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix }) : new InMemoryEventBus());
    const busA = await newBus();
    buses.push(busA);
    store = withPublishing(new PrismaSessionStore(prisma), busA);
    prereqs = await seedSessionPrereqs(prisma);
    // with Redis, every revocation in these tests reaches the viewer's server only through the adapter
    viewerServer = await startServer({ prisma, store, bus: busA, redisUrl: redis ? TEST_REDIS_URL : undefined, adapterKey, revocation: !redis });
    if (redis) {
      const busB = await newBus();
      buses.push(busB);
      revokingServer = await startServer({ prisma, store: withPublishing(new PrismaSessionStore(prisma), busB), bus: busB, redisUrl: TEST_REDIS_URL, adapterKey, revocation: true });
    } else {
      revokingServer = viewerServer;
    }
  });

  afterEach(() => viewers.splice(0).forEach((v) => v.socket.close()));

  afterAll(async () => {
    if (revokingServer !== viewerServer) await revokingServer?.close();
    await viewerServer?.close();
    for (const bus of buses) await bus.close();
    await database?.cleanup();
  });

  it.skipIf(redis && !redisAvailable)("shows a share-link viewer that team members watch, never who they are", async () => {
    const sessionId = await createTestSession(store, prereqs);
    const link = await createShareLink({ prisma }, { teamId: prereqs.teamId, sessionId, createdBy: null });
    const { key } = await createApiKey(prisma, { teamId: prereqs.teamId, name: "Ada's laptop key" });
    const member = viewer({ apiKey: key });
    const guest = viewer({ shareToken: link.token });
    expect((await member.join(sessionId)).ok).toBe(true);
    expect((await guest.join(sessionId)).ok).toBe(true);
    await waitFor("presence with both", () => member.viewerNames(sessionId)?.length === 2 && guest.viewerNames(sessionId)?.length === 2);
    expect(member.viewerNames(sessionId)).toContain("Ada's laptop key");
    const seenByGuest = JSON.stringify(guest.presence);
    expect(seenByGuest).not.toContain("Ada");
    expect(seenByGuest).not.toContain("apikey_");
    expect(guest.viewerNames(sessionId)!.sort()).toEqual(["Guest", "Team member"].sort());
  });

  it.skipIf(redis && !redisAvailable)("streams live events to a share-link viewer until the link is revoked, then disconnects it", async () => {
    const sessionId = await createTestSession(store, prereqs);
    await store.appendEvents(sessionId, [agentMessage("before")]);
    const link = await createShareLink({ prisma }, { teamId: prereqs.teamId, sessionId, createdBy: null });
    const guest = viewer({ shareToken: link.token });
    const member = viewer({ apiKey: (await createApiKey(prisma, { teamId: prereqs.teamId, name: "member" })).key });
    expect(await guest.join(sessionId)).toEqual({ ok: true, lastSeq: 1 });
    expect(await member.join(sessionId)).toEqual({ ok: true, lastSeq: 1 });
    await store.appendEvents(sessionId, [agentMessage("live")]);
    await waitFor("the live event", () => guest.texts().includes("live"));

    // revoked in the process of the other server: the guest is cut at once, the member stays
    const started = Date.now();
    await revokeShareLink({ prisma }, { teamId: prereqs.teamId, linkId: link.id });
    // Pushed, not polled: without the revocation broadcast the guest would stay connected forever.
    // The bound is wide because a loaded 2-core CI machine can stall any process for a few seconds.
    await waitFor("the guest's disconnection", () => guest.disconnectReason !== null, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(guest.disconnectReason).toBe("io server disconnect");
    await store.appendEvents(sessionId, [agentMessage("after")]);
    await waitFor("the member's event", () => member.texts().includes("after"));
    expect(member.socket.connected).toBe(true);
    expect(guest.texts()).not.toContain("after");

    // connecting again with the revoked token: refused
    const again = viewer({ shareToken: link.token });
    expect(await again.join(sessionId)).toEqual({ ok: false, error: "not_found" });
  });

  it.skipIf(redis && !redisAvailable)("disconnects only the revoked link's viewers, and never lets a token open another session", async () => {
    const sessionId = await createTestSession(store, prereqs);
    const other = await createTestSession(store, prereqs);
    const [first, second] = [
      await createShareLink({ prisma }, { teamId: prereqs.teamId, sessionId, createdBy: null }),
      await createShareLink({ prisma }, { teamId: prereqs.teamId, sessionId, createdBy: null }),
    ];
    const a = viewer({ shareToken: first.token });
    const b = viewer({ shareToken: second.token });
    expect((await a.join(sessionId)).ok).toBe(true);
    expect((await b.join(sessionId)).ok).toBe(true);
    expect(await a.join(other)).toEqual({ ok: false, error: "not_found" });
    await revokeShareLink({ prisma }, { teamId: prereqs.teamId, linkId: first.id });
    await waitFor("the first link's viewer to go", () => a.disconnectReason !== null, 2_000);
    await observeFor(200, "the other link's viewer NOT being disconnected");
    expect(b.socket.connected).toBe(true);
  });

  it.skipIf(redis && !redisAvailable)("sweeps out viewers of a link revoked by a process without a socket server", async () => {
    const sessionId = await createTestSession(store, prereqs);
    const link = await createShareLink({ prisma }, { teamId: prereqs.teamId, sessionId, createdBy: null });
    const guest = viewer({ shareToken: link.token });
    expect((await guest.join(sessionId)).ok).toBe(true);
    // revoked with nobody told (as by a script on another machine)
    await revokeShareLink({ prisma, announce: async () => {} }, { teamId: prereqs.teamId, linkId: link.id });
    await observeFor(200, "the guest NOT being disconnected before any sweep, as nobody announced the revocation");
    expect(guest.socket.connected).toBe(true);
    // each server sweeps its own sockets
    const sweeper = viewerServer.revocation ?? attachShareLinkRevocation(viewerServer.io, { prisma, sweepMs: NO_SWEEP, log: quietLog });
    try {
      expect(await sweeper.sweep()).toBe(1);
    } finally {
      if (sweeper !== viewerServer.revocation) sweeper.stop();
    }
    await waitFor("the swept guest's disconnection", () => guest.disconnectReason !== null, 2_000);
  });
});
