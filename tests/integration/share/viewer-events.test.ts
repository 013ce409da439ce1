import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { anyOfAuthorizers, authorizeByMemberCookie } from "@/lib/realtime/authorize-member";
import { authorizeByApiKey } from "@/lib/realtime/authorize-viewer";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import type { TWireEventWithSeq } from "@/lib/realtime/session-protocol";
import { attachSocketServer, SOCKET_PATH } from "@/lib/realtime/socket-server";
import type { TEventBody } from "@/lib/event-log/events";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { updateSession } from "@/lib/sessions/update-session";
import { authorizeByShareToken } from "@/lib/share/authorize-by-share-token";
import { createShareLink } from "@/lib/share/create-share-link";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { createTestSession, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { quietLog } from "../realtime/realtime-helpers";
import { authenticateNamedApiKey } from "@/lib/teams/api-keys/authenticate-api-key";

// One session watched over a real Socket.io server, wired as the app server wires it, by a client
// with an API key, a signed-in team member and a share-link guest: each receives what its kind of
// viewer may see, in the catch-up after joining and live alike.

const SECRET = "a-session-secret-of-at-least-32-characters-long";

class Watcher {
  readonly socket: Socket;
  readonly events: TWireEventWithSeq[] = [];
  constructor(url: string, options: { auth?: Record<string, string>; cookie?: string }) {
    this.socket = io(url, { path: SOCKET_PATH, transports: ["websocket"], reconnection: false, auth: options.auth ?? {}, extraHeaders: options.cookie ? { cookie: options.cookie } : {} });
    this.socket.on("session:events", (p) => this.events.push(...p.events));
  }
  async join(sessionId: string): Promise<void> {
    expect(await this.socket.timeout(10_000).emitWithAck("session:join", { sessionId, afterSeq: 0 })).toMatchObject({ ok: true });
  }
  of(type: string): TWireEventWithSeq[] {
    return this.events.filter((e) => e.type === type);
  }
}

const sandbox = (status: "provisioning" | "ready", sandboxId: string | null): TEventBody => ({
  type: "span.sandbox_status",
  status,
  provider: "local",
  sandbox_id: sandboxId,
  reason: null,
  duration_ms: status === "ready" ? 640 : null,
});

describe("what each viewer of a session receives over Socket.io", () => {
  let database: TTestDatabase;
  let prisma: PrismaClient;
  let store: SessionStore;
  let team: TSessionPrereqs;
  let url: string;
  let close: () => Promise<void>;
  const watchers: Watcher[] = [];

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    prisma = database.db.prisma;
    const bus = new InMemoryEventBus();
    store = withPublishing(new PrismaSessionStore(prisma), bus);
    team = await seedSessionPrereqs(prisma);
    const httpServer = createServer();
    const realtime = await attachSocketServer(httpServer, {
      store,
      bus,
      authorize: anyOfAuthorizers(
        authorizeByApiKey({ authenticate: (key) => authenticateNamedApiKey({ prisma, sql: prisma }, key), store }),
        authorizeByShareToken({ prisma }),
        authorizeByMemberCookie({ prisma, store, secret: () => SECRET, sweep: false }),
      ),
      log: quietLog,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    close = () => realtime.close();
  }, 120_000);

  afterEach(() => watchers.splice(0).forEach((w) => w.socket.close()));
  afterAll(async () => {
    await close?.();
    await database?.cleanup();
  });

  it("gives members the sandbox status, guests it without its id and updates without metadata, API keys neither", async () => {
    const sessionId = await createTestSession(store, team);
    const userId = newId("user");
    await prisma.user.create({ data: { id: userId, email: `${userId}@example.com`, name: "Ada" } });
    await prisma.membership.create({ data: { teamId: team.teamId, userId, role: "owner" } });
    const cookie = `next-auth.session-token=${await encode({ token: { sub: userId, name: "Ada" }, secret: SECRET })}`;
    const { key } = await createApiKey(prisma, { teamId: team.teamId, name: "script" });
    const link = await createShareLink({ prisma }, { teamId: team.teamId, sessionId, createdBy: null });

    // before anyone joins: the catch-up path
    await store.appendEvents(sessionId, [userMessage("build it"), sandbox("provisioning", null), { type: "span.tool_execution_start", tool_use_id: "sevt_x" }]);
    await updateSession({ store }, { teamId: team.teamId, sessionId, body: { title: "Before", metadata: { customer: "CATCH-UP-SECRET" } } });

    const member = new Watcher(url, { cookie });
    const guest = new Watcher(url, { auth: { shareToken: link.token } });
    const client = new Watcher(url, { auth: { apiKey: key } });
    watchers.push(member, guest, client);
    for (const w of watchers) await w.join(sessionId);

    // after: the live path
    await store.appendEvents(sessionId, [sandbox("ready", "SANDBOX-HANDLE")]);
    await updateSession({ store }, { teamId: team.teamId, sessionId, body: { title: "After", metadata: { customer: "LIVE-SECRET" } } });
    for (const w of watchers) await until("the live update", () => w.of("session.updated").length === 2, { timeoutMs: 10_000 });

    expect(member.of("span.sandbox_status").map((e) => (e.type === "span.sandbox_status" ? [e.status, e.sandbox_id] : []))).toEqual([
      ["provisioning", null],
      ["ready", "SANDBOX-HANDLE"],
    ]);
    expect(member.of("session.updated").map((e) => (e.type === "session.updated" ? e.metadata?.customer : null))).toEqual(["CATCH-UP-SECRET", "LIVE-SECRET"]);

    expect(guest.of("span.sandbox_status").map((e) => (e.type === "span.sandbox_status" ? [e.status, e.provider, e.duration_ms, e.sandbox_id] : []))).toEqual([
      ["provisioning", "local", null, null],
      ["ready", "local", 640, null],
    ]);
    expect(guest.of("session.updated").map((e) => ({ ...e, id: undefined, processed_at: undefined, seq: undefined }))).toEqual([
      { type: "session.updated", title: "Before", id: undefined, processed_at: undefined, seq: undefined },
      { type: "session.updated", title: "After", id: undefined, processed_at: undefined, seq: undefined },
    ]);
    expect(JSON.stringify(guest.events)).not.toMatch(/SECRET|SANDBOX-HANDLE/);

    expect(client.of("span.sandbox_status")).toEqual([]);
    expect(client.of("session.updated")).toHaveLength(2);
    for (const w of watchers) expect(w.of("span.tool_execution_start")).toEqual([]);
  });
});
