import { getToken } from "next-auth/jwt";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { TAuthorizeViewer, TRealtimeSocket } from "./authorize-viewer";
import { coalescedReads } from "./coalesced-read";
import { attachMemberSweep, rememberMember } from "./member-removal";

/** next-auth's session cookie: `__Secure-` prefixed when the app is served over https. */
const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

/** Handshake fields that name a credential of their own; such a socket is judged by it alone. */
const EXPLICIT_CREDENTIALS = ["apiKey", "shareToken"] as const;

/** The cookies of a `Cookie` header (the last of a repeated name wins); malformed pairs are skipped. */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // not percent-encoded properly: not a cookie we set
    }
  }
  return cookies;
}

function presentsOtherCredential(socket: TRealtimeSocket): boolean {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  return EXPLICIT_CREDENTIALS.some((field) => auth?.[field] !== undefined);
}

/**
 * The user id in the handshake's session cookie, or null. Browsers send the app's cookies with a
 * same-origin Socket.io connection; the cookie is the encrypted JWT next-auth issued at sign-in,
 * decrypted with the app's session secret (an expired or forged one decodes to nothing).
 */
async function userIdOf(socket: TRealtimeSocket, secret: string): Promise<string | null> {
  const all = parseCookieHeader(socket.handshake.headers.cookie);
  for (const name of SESSION_COOKIES) {
    // next-auth splits a large cookie into `name.0`, `name.1`, …: hand over only this name's parts
    const cookies = new Map([...all].filter(([key]) => key === name || key.startsWith(`${name}.`)));
    if (cookies.size === 0) continue;
    const token = await getToken({ req: { cookies, headers: {} } as never, secret, cookieName: name, secureCookie: name.startsWith("__Secure-"), logger: silent });
    return typeof token?.sub === "string" && token.sub !== "" ? token.sub : null;
  }
  return null;
}

const silent = { error: () => {}, warn: () => {}, debug: () => {} } as unknown as Console;

/**
 * Authorizes a signed-in member of the session's team by the web app's session cookie. The viewer
 * is the user, by id and name (one entry in presence however many tabs they have open). The
 * account and the membership are read at each join, so a removed member can no longer join, and
 * the socket is recorded as the member's, so that removing them disconnects it (member-removal.ts);
 * an unknown session and another team's session are both null. A socket presenting an API key or
 * a share token is left to those authorizers, so a member opening a share link watches as its guest.
 */
export function authorizeByMemberCookie(deps: {
  prisma: PrismaClient;
  store: Pick<SessionStore, "getSession">;
  /** The next-auth secret (read when first needed). */
  secret: () => string;
  /** Default true: sweep the server's member sockets for memberships gone (see member-removal.ts). */
  sweep?: boolean;
}): TAuthorizeViewer {
  // the session and the membership, shared by the joins of one user to one session that arrive together (see coalescedReads)
  const membershipOf = coalescedReads(async (key: string) => {
    const [userId, sessionId] = JSON.parse(key) as [string, string];
    const session = await deps.store.getSession(sessionId);
    if (!session) return null;
    const membership = await deps.prisma.membership.findUnique({
      where: { teamId_userId: { teamId: session.teamId, userId } },
      select: { user: { select: { id: true, name: true } } },
    });
    return membership && { teamId: session.teamId, user: membership.user };
  });
  return async (socket, sessionId) => {
    if (!isId("session", sessionId) || presentsOtherCredential(socket)) return null;
    const userId = await userIdOf(socket, deps.secret());
    if (!userId) return null;
    const membership = await membershipOf(JSON.stringify([userId, sessionId]));
    if (!membership) return null;
    // removing the member from the team disconnects this socket (see member-removal.ts)
    await rememberMember(socket, { teamId: membership.teamId, userId });
    const io = (socket as Partial<Pick<typeof socket, "nsp">>).nsp?.server;
    if (io && deps.sweep !== false) attachMemberSweep(io, { prisma: deps.prisma });
    return { viewer: { id: membership.user.id, name: membership.user.name }, audience: "member" };
  };
}

/**
 * The first viewer any of `authorizers` grants, tried in order; null when none does. A failing
 * authorizer fails the join (`unavailable`) rather than being skipped.
 */
export function anyOfAuthorizers(...authorizers: TAuthorizeViewer[]): TAuthorizeViewer {
  return async (socket, sessionId) => {
    for (const authorize of authorizers) {
      const access = await authorize(socket, sessionId);
      if (access) return access;
    }
    return null;
  };
}
