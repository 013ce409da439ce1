import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { RedisEventBus } from "@/lib/realtime/redis-event-bus";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { createTestSession, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { quietLog, startRealtimeServer, TestViewer, waitFor, type TTestServer } from "./realtime-helpers";

// Two web servers sharing rooms through the Redis adapter. Presence reads every server's sockets
// (`fetchSockets()`), which the adapter answers through Redis with each socket's handshake: every
// byte published on the adapter's channels is captured here, and no viewer's API key or session
// cookie may be among them, while the viewers' names (what presence needs) are.

const available = (await requireRedis("the credentials-over-Redis test")) && (await requirePostgres("the credentials-over-Redis test"));

describe.runIf(available)("credentials never cross Redis", () => {
  let database: TTestDatabase;
  let prereqs: TSessionPrereqs;
  let servers: Array<{ db: Database; bus: RedisEventBus; store: SessionStore; server: TTestServer }>;
  const adapterKey = uniquePrefix("cred-adapter");
  const captured: Buffer[] = [];
  const capture = createClient({ url: TEST_REDIS_URL });

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    prereqs = await seedSessionPrereqs(database.db.prisma);
    await capture.connect();
    await capture.pSubscribe(`${adapterKey}*`, (message) => captured.push(Buffer.from(message)), true);
    servers = await Promise.all(
      [0, 1].map(async () => {
        const db = await openDatabase(database.target, { migrate: false });
        const bus = await RedisEventBus.connect({ url: TEST_REDIS_URL, log: quietLog, channelPrefix: uniquePrefix("cred-bus") });
        const store = withPublishing(new PrismaSessionStore(db.prisma), bus);
        const server = await startRealtimeServer({ prisma: db.prisma, store, bus, redisUrl: TEST_REDIS_URL, adapterKey });
        return { db, bus, store, server };
      }),
    );
  });

  afterAll(async () => {
    await capture.close().catch(() => {});
    for (const p of servers ?? []) {
      await p.server.close();
      await p.bus.close();
      await p.db.close();
    }
    await database?.cleanup();
  });

  it("leaves API keys and cookies out of the handshakes presence reads across servers", async () => {
    const sessionId = await createTestSession(servers[0]!.store, prereqs);
    const alice = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "alice-viewer" })).key;
    const bob = (await createApiKey(database.db.prisma, { teamId: prereqs.teamId, name: "bob-viewer" })).key;
    const cookie = `next-auth.session-token=cookie-secret-${uniquePrefix("c")}`;
    const onA = new TestViewer(servers[0]!.server.url, { auth: { apiKey: alice }, cookie });
    const onB = new TestViewer(servers[1]!.server.url, { auth: { apiKey: bob }, cookie });
    try {
      expect(await onA.join(sessionId)).toMatchObject({ ok: true });
      expect(await onB.join(sessionId)).toMatchObject({ ok: true });
      // each server's presence reads the other's sockets through Redis
      await waitFor("both viewers in both servers' presence", () =>
        [onA, onB].every((v) => JSON.stringify(v.viewerNames(sessionId)) === JSON.stringify(["alice-viewer", "bob-viewer"])),
      );
      const published = Buffer.concat(captured);
      expect(published.includes("bob-viewer"), "the capture sees what the adapter publishes").toBe(true);
      for (const secret of [alice, bob, cookie.split("=")[1]!]) expect(published.includes(secret)).toBe(false);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
