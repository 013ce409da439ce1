import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as processLog, type Logger } from "@/lib/log";
import { processAnnouncements } from "./process-announcements";
import type { RealtimeServer } from "./realtime-server";
import { attachSocketSweep, type TSocketSweep } from "./socket-sweep";

/**
 * How a member removed from a team stops watching that team's sessions at once, like a revoked
 * share link's guests:
 *
 * 1. a socket that `authorizeByMemberCookie` lets in as a member joins the room
 *    `member:<teamId>:<userId>` (`rememberMember`) and records it in `socket.data.members`;
 * 2. removing the member announces it in its process (`announceMemberRemoved`, called by the
 *    members page's action once the removal has committed);
 * 3. every socket server started in that process (`listenForMemberRemovals`, attached by
 *    `attachSocketServer`) disconnects the sockets in that room — on every server, through the
 *    Socket.io Redis adapter when there are several;
 * 4. a periodic sweep of each server's own member sockets (`attachMemberSweep`) disconnects any
 *    whose membership is gone: it catches a removal made where no socket server runs, or a join
 *    that raced the removal.
 * Disconnecting ends all of the socket's joins; the page connects again and joins again, and the
 * join is refused (`not_found`) for the team the person left — the sessions of their other teams
 * carry on. The announcements go through `processAnnouncements` (listeners on `globalThis`).
 */

export type TRemovedMember = { teamId: string; userId: string };
const removals = processAnnouncements<TRemovedMember>("member-removal");

export const onMemberRemoved = removals.on;

/** Tells this process's socket servers that a member left a team, and waits for them. Never rejects. */
export const announceMemberRemoved = removals.announce;

/** The room of one person's member sockets for one team, on every server. */
export function memberRoom(member: TRemovedMember): string {
  return `member:${member.teamId}:${member.userId}`;
}

type TMemberSocketData = { members?: Record<string, string> };

/** Records that the socket watches as a member of the team (team id → user id) and joins the member's room. */
export async function rememberMember(socket: { data?: unknown; join?(room: string): unknown }, member: TRemovedMember): Promise<void> {
  if (!socket.data || typeof socket.join !== "function") return; // not a live socket (a check made outside a server)
  const data = socket.data as TMemberSocketData;
  data.members = { ...data.members, [member.teamId]: member.userId };
  await socket.join(memberRoom(member));
}

export function membersOf(data: unknown): Record<string, string> {
  const members = (data as TMemberSocketData | undefined)?.members;
  return members && typeof members === "object" ? members : {};
}

type TMemberIo = Pick<RealtimeServer, "in" | "local">;

/** Disconnects the removed member's sockets on this process's socket server `io`, whenever one is announced. */
export function listenForMemberRemovals(io: TMemberIo, log: Logger = processLog): () => void {
  return onMemberRemoved(async (member) => {
    try {
      io.in(memberRoom(member)).disconnectSockets(true);
      log.info("removed member's sockets disconnected", { teamId: member.teamId, userId: member.userId });
    } catch (error) {
      log.warn("removed member's sockets could not be disconnected", { teamId: member.teamId, error });
    }
  });
}

export const DEFAULT_MEMBER_SWEEP_MS = 5_000;
const SWEEP_BATCH = 200;

export type TMemberSweep = TSocketSweep;

/**
 * Checks this server's member sockets against the memberships every `sweepMs` and disconnects
 * those whose membership is gone (`attachSocketSweep`: once per server, stops with its HTTP server
 * or on `stop()`).
 */
export function attachMemberSweep(io: TMemberIo, options: { prisma: PrismaClient; sweepMs?: number; log?: Logger }): TMemberSweep {
  return attachSocketSweep<TRemovedMember>(io, {
    name: "member-removal",
    grantsOf: (data) => Object.entries(membersOf(data)).map(([teamId, userId]) => [`${teamId}:${userId}`, { teamId, userId }] as const),
    async stillHeld(members) {
      const rows = await options.prisma.membership.findMany({ where: { OR: members }, select: { teamId: true, userId: true } });
      return rows.map((row) => `${row.teamId}:${row.userId}`);
    },
    batchSize: SWEEP_BATCH,
    everyMs: options.sweepMs ?? DEFAULT_MEMBER_SWEEP_MS,
    log: (options.log ?? processLog).child({ component: "member-removal" }),
    messages: { disconnected: "removed member's sockets disconnected", failed: "member sweep failed" },
  });
}
