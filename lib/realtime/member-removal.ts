import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as processLog, type Logger } from "@/lib/log";
import { processAnnouncements } from "./process-announcements";
import type { RealtimeServer } from "./socket-server";

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

export type TMemberSweep = { sweep(): Promise<number>; stop(): void };

const attached = new WeakMap<object, TMemberSweep>();

/**
 * Checks this server's member sockets against the memberships every `sweepMs` and disconnects
 * those whose membership is gone. Once per server (a second call returns the first handle); it
 * stops with the server's HTTP server, or on `stop()`.
 */
export function attachMemberSweep(io: TMemberIo, options: { prisma: PrismaClient; sweepMs?: number; log?: Logger }): TMemberSweep {
  const existing = attached.get(io);
  if (existing) return existing;
  const log = (options.log ?? processLog).child({ component: "member-removal" });

  let sweeping: Promise<number> | null = null;
  const sweepOnce = async (): Promise<number> => {
    const sockets = await io.local.fetchSockets();
    const byMember = new Map<string, { member: TRemovedMember; sockets: typeof sockets }>();
    for (const socket of sockets) {
      for (const [teamId, userId] of Object.entries(membersOf(socket.data))) {
        const key = `${teamId}:${userId}`;
        const entry = byMember.get(key) ?? { member: { teamId, userId }, sockets: [] };
        entry.sockets.push(socket);
        byMember.set(key, entry);
      }
    }
    const entries = [...byMember.values()];
    let count = 0;
    for (let i = 0; i < entries.length; i += SWEEP_BATCH) {
      const batch = entries.slice(i, i + SWEEP_BATCH);
      const rows = await options.prisma.membership.findMany({ where: { OR: batch.map((e) => e.member) }, select: { teamId: true, userId: true } });
      const current = new Set(rows.map((row) => `${row.teamId}:${row.userId}`));
      for (const { member, sockets: theirs } of batch) {
        if (current.has(`${member.teamId}:${member.userId}`)) continue;
        for (const socket of theirs) {
          socket.disconnect(true);
          count += 1;
        }
      }
    }
    if (count > 0) log.info("removed member's sockets disconnected", { reason: "sweep", count });
    return count;
  };
  const sweep = (): Promise<number> => {
    sweeping ??= sweepOnce().finally(() => (sweeping = null));
    return sweeping;
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => log.warn("member sweep failed", { error }));
  }, options.sweepMs ?? DEFAULT_MEMBER_SWEEP_MS);
  timer.unref?.();

  const handle: TMemberSweep = {
    sweep,
    stop() {
      clearInterval(timer);
      attached.delete(io);
    },
  };
  attached.set(io, handle);
  (io as { httpServer?: { once?(event: "close", listener: () => void): unknown } }).httpServer?.once?.("close", () => handle.stop());
  return handle;
}
