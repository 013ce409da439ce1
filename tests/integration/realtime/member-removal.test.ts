import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { authorizeByMemberCookie } from "@/lib/realtime/authorize-member";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { announceMemberRemoved, attachMemberSweep, type TMemberSweep } from "@/lib/realtime/member-removal";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import { attachSocketServer, type RealtimeServer } from "@/lib/realtime/socket-server";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { removeMember } from "@/lib/teams/remove-member";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { agentMessage, createTestSession, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { observeFor } from "@/tests/fixtures/wait";
import { quietLog, TestViewer, waitFor } from "./realtime-helpers";

// Team members watching over real Socket.io servers (no Next.js), authorized by their session
// cookie as the app server does. Removing a member from a team cuts their sockets watching that
// team's sessions at once; with Redis, the viewer is on one server and the removal is announced in
// the process of another, so only the adapter can carry it.

const redisAvailable = await requireRedis("the Redis variant of the member removal tests");
const SECRET = "a-session-secret-of-at-least-32-characters-long";
const NO_SWEEP = 3_600_000;

type TServer = { url: string; io: RealtimeServer; close(): Promise<void> };

async function startServer(options: { prisma: PrismaClient; store: SessionStore; bus: InMemoryEventBus | RedisEventBus; redisUrl?: string; adapterKey: string; listens: boolean }): Promise<TServer> {
  const httpServer = createServer();
  const realtime = await attachSocketServer(httpServer, {
    store: options.store,
    bus: options.bus,
    authorize: authorizeByMemberCookie({ prisma: options.prisma, store: options.store, secret: () => SECRET, sweep: false }),
    redisUrl: options.redisUrl,
    adapterKey: options.adapterKey,
    listenForMemberRemovals: options.listens,
    log: quietLog,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, io: realtime.io, close: () => realtime.close() };
}

describe.each([
  { name: "in one process", redis: false },
  { name: "across two servers sharing Redis", redis: true },
])("removing a member from a team $name", ({ redis }) => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: SessionStore;
  let team: TSessionPrereqs;
  let otherTeam: TSessionPrereqs;
  let viewerServer: TServer;
  let removingServer: TServer;
  const buses: Array<InMemoryEventBus | RedisEventBus> = [];
  const sockets: TestViewer[] = [];

  const person = async (name: string, teams: Array<{ teamId: string; role: string }>) => {
    const id = newId("user");
    await prisma.user.create({ data: { id, email: `${id}@example.com`, name } });
    for (const { teamId, role } of teams) await prisma.membership.create({ data: { teamId, userId: id, role } });
    const cookie = `next-auth.session-token=${await encode({ token: { sub: id, name }, secret: SECRET })}`;
    return { id, connect: (server = viewerServer) => sockets[sockets.push(new TestViewer(server.url, { cookie })) - 1]! };
  };

  beforeAll(async () => {
    if (redis && !redisAvailable) return;
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
    const adapterKey = uniquePrefix("member-adapter");
    const channelPrefix = uniquePrefix("member-bus");
    const newBus = async () => (redis ? RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix }) : new InMemoryEventBus());
    const busA = await newBus();
    buses.push(busA);
    store = withPublishing(new PrismaSessionStore(prisma), busA);
    team = await seedSessionPrereqs(prisma);
    otherTeam = await seedSessionPrereqs(prisma);
    // with Redis, the viewer's server hears of no removal itself: only the adapter can reach it
    viewerServer = await startServer({ prisma, store, bus: busA, redisUrl: redis ? TEST_REDIS_URL : undefined, adapterKey, listens: !redis });
    if (redis) {
      const busB = await newBus();
      buses.push(busB);
      removingServer = await startServer({ prisma, store: withPublishing(new PrismaSessionStore(prisma), busB), bus: busB, redisUrl: TEST_REDIS_URL, adapterKey, listens: true });
    } else {
      removingServer = viewerServer;
    }
  }, 120_000);

  afterEach(() => sockets.splice(0).forEach((s) => s.socket.close()));

  afterAll(async () => {
    // the viewers' server first: its closing asks the other server who is left (presence)
    await viewerServer?.close();
    if (removingServer !== viewerServer) await removingServer?.close();
    for (const bus of buses) await bus.close();
    await database?.cleanup();
  });

  it.skipIf(redis && !redisAvailable)("cuts the removed member from the team's sessions at once; teammates and their other teams carry on", async () => {
    const ada = await person("Ada", [{ teamId: team.teamId, role: "owner" }]);
    const grace = await person("Grace", [
      { teamId: team.teamId, role: "member" },
      { teamId: otherTeam.teamId, role: "member" },
    ]);
    const sessionId = await createTestSession(store, team);
    const elsewhere = await createTestSession(store, otherTeam);
    const adaWatching = ada.connect();
    const graceWatching = grace.connect();
    const graceElsewhere = grace.connect();
    expect(await adaWatching.join(sessionId)).toEqual({ ok: true, lastSeq: 0 });
    expect(await graceWatching.join(sessionId)).toEqual({ ok: true, lastSeq: 0 });
    expect(await graceElsewhere.join(elsewhere)).toEqual({ ok: true, lastSeq: 0 });
    await store.appendEvents(sessionId, [agentMessage("before")]);
    await waitFor("the live event", () => graceWatching.texts().includes("before"));

    // removed by the owner, announced as the members page's action does once it has committed
    await removeMember(prisma, { teamId: team.teamId, actorId: ada.id, userId: grace.id });
    await announceMemberRemoved({ teamId: team.teamId, userId: grace.id });
    // pushed, not polled (the sweep is off); a wide bound for a loaded machine
    await waitFor("the removed member's disconnection", () => graceWatching.disconnectReason !== null);
    expect(graceWatching.disconnectReason).toBe("io server disconnect");

    await store.appendEvents(sessionId, [agentMessage("after")]);
    await store.appendEvents(elsewhere, [agentMessage("other team")]);
    await waitFor("the teammate's event", () => adaWatching.texts().includes("after"));
    await waitFor("the other team's event", () => graceElsewhere.texts().includes("other team"));
    expect(adaWatching.socket.connected).toBe(true);
    expect(graceElsewhere.socket.connected).toBe(true);
    expect(graceWatching.texts()).not.toContain("after");

    // connecting again: the team's session is refused, like any session one may not see
    const again = grace.connect(removingServer);
    expect(await again.join(sessionId)).toEqual({ ok: false, error: "not_found" });
  });

  it.skipIf(redis && !redisAvailable)("sweeps out a member removed where nobody was told", async () => {
    const ada = await person("Ada", [{ teamId: team.teamId, role: "owner" }]);
    const linus = await person("Linus", [{ teamId: team.teamId, role: "member" }]);
    const sessionId = await createTestSession(store, team);
    const linusWatching = linus.connect();
    const adaWatching = ada.connect();
    expect((await linusWatching.join(sessionId)).ok).toBe(true);
    expect((await adaWatching.join(sessionId)).ok).toBe(true);
    await removeMember(prisma, { teamId: team.teamId, actorId: ada.id, userId: linus.id });
    await observeFor(200, "the removed member's socket NOT being cut, as nobody announced the removal");
    expect(linusWatching.socket.connected).toBe(true); // nobody announced it
    const sweeper: TMemberSweep = attachMemberSweep(viewerServer.io, { prisma, sweepMs: NO_SWEEP, log: quietLog });
    try {
      expect(await sweeper.sweep()).toBe(1);
    } finally {
      sweeper.stop();
    }
    await waitFor("the swept member's disconnection", () => linusWatching.disconnectReason !== null);
    expect(adaWatching.socket.connected).toBe(true);
  });
});
