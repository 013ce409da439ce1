import type { Server } from "socket.io";
import type { Logger } from "@/lib/log";
import type { PresenceClock } from "./presence-clock";
import { sessionGuestRoom, sessionRoom, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type TSocketData, type TViewer } from "./session-protocol";

type TIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, TSocketData>;

/**
 * Who watches a session, across servers: the room's sockets as `fetchSockets()` returns them
 * (through the Redis adapter, every server's), each socket's viewer for that session, one entry per
 * viewer id however many tabs it has open. After a join, leave or disconnect, the server that saw
 * it broadcasts the list to the room, stamped with a version taken from the shared clock before
 * the members were read. Updates for one session coalesce: while one runs, further requests make
 * it run once more.
 */
export class SessionPresence {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly io: TIo,
    private readonly clock: PresenceClock,
    private readonly log: Logger,
  ) {}

  async viewers(sessionId: string): Promise<TViewer[]> {
    return viewersOf(await this.io.in(sessionRoom(sessionId)).fetchSockets(), sessionId);
  }

  /** Broadcasts the session's viewers to its room. Never rejects (a failure is logged). */
  update(sessionId: string): Promise<void> {
    const current = this.running.get(sessionId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        try {
          await this.broadcast(sessionId, await this.clock.next());
        } catch (error) {
          this.log.warn("presence update failed", { sessionId, error });
        }
      } while (entry.again);
    })().finally(() => this.running.delete(sessionId));
    this.running.set(sessionId, entry);
    return entry.done;
  }

  /**
   * Team members see who is watching; viewers who came through a share link (guests) see the other
   * guests, and members only as "Team member": the names of a team's people are not sent to anyone
   * who merely holds a link. Who is a guest is decided by the guests' room when each server
   * delivers the broadcast, not by the list read before it: a guest who joined in between is in
   * that room already (see sessionGuestRoom).
   */
  private async broadcast(sessionId: string, version: number): Promise<void> {
    const room = sessionRoom(sessionId);
    const guestRoom = sessionGuestRoom(sessionId);
    const viewers = viewersOf(await this.io.in(room).fetchSockets(), sessionId);
    let member = 0;
    const anonymous = viewers.map((v) => (isGuestId(v.id) ? v : { id: `member_${++member}`, name: "Team member" }));
    this.io.to(room).except(guestRoom).emit("session:presence", { sessionId, viewers, version });
    this.io.to(guestRoom).emit("session:presence", { sessionId, viewers: anonymous, version });
  }

  /** Resolves when no update is running. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((entry) => entry.done));
  }
}

function isGuestId(id: string | undefined): boolean {
  return typeof id === "string" && id.startsWith("guest_");
}

/** One entry per viewer id (however many tabs), sorted by name. */
function viewersOf(sockets: ReadonlyArray<{ data?: Partial<TSocketData> }>, sessionId: string): TViewer[] {
  const byId = new Map<string, TViewer>();
  for (const socket of sockets) {
    const viewer = socket.data?.viewers?.[sessionId];
    if (viewer && !byId.has(viewer.id)) byId.set(viewer.id, { id: viewer.id, name: viewer.name });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
