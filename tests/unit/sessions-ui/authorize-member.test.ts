import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { anyOfAuthorizers, authorizeByMemberCookie, parseCookieHeader } from "@/lib/realtime/authorize-member";
import type { TAuthorizeViewer, TRealtimeSocket } from "@/lib/realtime/authorize-viewer";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";

const SECRET = "a-session-secret-of-at-least-32-characters";
const USERS = { user_ada: "Ada Lovelace", user_grace: "Grace Hopper" } as Record<string, string>;
const MEMBERS = new Set(["team_one:user_ada", "team_two:user_grace"]);

/** Just the membership lookup the authorizer makes. */
const prisma = {
  membership: {
    findUnique: async ({ where }: { where: { teamId_userId: { teamId: string; userId: string } } }) => {
      const { teamId, userId } = where.teamId_userId;
      return MEMBERS.has(`${teamId}:${userId}`) ? { user: { id: userId, name: USERS[userId]! } } : null;
    },
  },
} as unknown as PrismaClient;

function socketWith(headers: { cookie?: string }, auth: Record<string, unknown> = {}): TRealtimeSocket {
  return { handshake: { headers, auth } } as unknown as TRealtimeSocket;
}

async function cookieFor(userId: string, secret = SECRET, name = "next-auth.session-token"): Promise<string> {
  return `theme=dark; ${name}=${await encode({ token: { sub: userId, name: USERS[userId] }, secret })}; other=1`;
}

async function setUp() {
  const store = new InMemorySessionStore();
  const session = await store.createSession({ teamId: "team_one", agentId: "agent_x", agentVersion: 1, agentSnapshot: {}, environmentId: "env_x" });
  const other = await store.createSession({ teamId: "team_two", agentId: "agent_y", agentVersion: 1, agentSnapshot: {}, environmentId: "env_y" });
  return { authorize: authorizeByMemberCookie({ prisma, store, secret: () => SECRET }), session, other };
}

describe("authorizing a team member by the session cookie", () => {
  it("lets a member of the session's team watch it, as themselves", async () => {
    const { authorize, session } = await setUp();
    expect(await authorize(socketWith({ cookie: await cookieFor("user_ada") }), session.id)).toEqual({ viewer: { id: "user_ada", name: "Ada Lovelace" }, audience: "member" });
    // served over https, the cookie has the __Secure- prefix
    expect(await authorize(socketWith({ cookie: await cookieFor("user_ada", SECRET, "__Secure-next-auth.session-token") }), session.id)).toEqual({
      viewer: { id: "user_ada", name: "Ada Lovelace" },
      audience: "member",
    });
  });

  it("answers another team's session, an unknown one and a malformed id alike: null", async () => {
    const { authorize, other } = await setUp();
    const cookie = await cookieFor("user_ada");
    expect(await authorize(socketWith({ cookie }), other.id)).toBeNull();
    expect(await authorize(socketWith({ cookie }), "sesn_01JZZZZZZZZZZZZZZZZZZZZZZZ")).toBeNull();
    expect(await authorize(socketWith({ cookie }), "not-a-session")).toBeNull();
  });

  it("refuses no cookie, a cookie signed with another secret, and a tampered one", async () => {
    const { authorize, session } = await setUp();
    expect(await authorize(socketWith({}), session.id)).toBeNull();
    expect(await authorize(socketWith({ cookie: await cookieFor("user_ada", "another-secret-that-is-also-long-enough") }), session.id)).toBeNull();
    const cookie = await cookieFor("user_ada");
    expect(await authorize(socketWith({ cookie: cookie.replace(/session-token=(.)/, (_m, c: string) => `session-token=${c === "a" ? "b" : "a"}`) }), session.id)).toBeNull();
  });

  it("leaves sockets that present an API key or a share token to those authorizers", async () => {
    const { authorize, session } = await setUp();
    const cookie = await cookieFor("user_ada");
    expect(await authorize(socketWith({ cookie }, { shareToken: "shr_x" }), session.id)).toBeNull();
    expect(await authorize(socketWith({ cookie }, { apiKey: "oma_x" }), session.id)).toBeNull();
  });
});

describe("combining authorizers", () => {
  it("takes the first viewer granted, in order", async () => {
    const calls: string[] = [];
    const by = (name: string, grant: boolean): TAuthorizeViewer => async () => {
      calls.push(name);
      return grant ? { viewer: { id: name, name } } : null;
    };
    const socket = socketWith({});
    expect(await anyOfAuthorizers(by("key", false), by("share", true), by("member", true))(socket, "sesn_x")).toEqual({ viewer: { id: "share", name: "share" } });
    expect(calls).toEqual(["key", "share"]);
    expect(await anyOfAuthorizers(by("key", false))(socket, "sesn_x")).toBeNull();
  });
});

describe("parseCookieHeader", () => {
  it("reads name=value pairs, decoding values and skipping what is malformed", () => {
    expect([...parseCookieHeader("a=1; b=hello%20world;bad; c=\"quoted\"; d=%E0%A4%A")]).toEqual([
      ["a", "1"],
      ["b", "hello world"],
      ["c", "quoted"],
    ]);
    expect(parseCookieHeader(undefined).size).toBe(0);
  });
});
