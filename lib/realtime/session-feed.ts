import type { TStoredEvent } from "@/lib/event-log/events";
import type { SessionStore } from "@/lib/event-log/session-store";
import type { Logger } from "@/lib/log";
import type { TRealtimeSocket } from "./authorize-viewer";
import type { EventBus, TPreview } from "./event-bus";
import { FOLLOW_PAGE_SIZE, followSession, type TSessionFollow } from "./follow-session";
import type { RealtimeServer } from "./realtime-server";
import { toViewEvents, type TViewAudience } from "./view-events";

/** Events a feed keeps, so that a socket joining a little behind it catches up without reading the log. */
export const RECENT_EVENTS = 200;

const AUDIENCES: readonly TViewAudience[] = ["api", "member", "guest"];
const PREVIEW_TOOL_OUTPUT_TO: readonly TViewAudience[] = ["member"];

/**
 * The room, on this server only, of the sockets of one audience that receive a session's live
 * events from this server's feed. Each server broadcasts what its own feed follows; nothing goes
 * through the Socket.io adapter.
 */
export function liveRoom(sessionId: string, audience: TViewAudience): string {
  return `session-live:${audience}:${sessionId}`;
}

export type TFeedDeps = {
  store: Pick<SessionStore, "getEvents">;
  bus: EventBus;
  /** How often the log is read anyway (see `followSession`). */
  pollMs: number;
  log: Logger;
};

/** One socket's watch of a session's feed. */
export type TFeedWatch = {
  /**
   * Resolves once the socket has been sent the events after its `afterSeq` and joined the live
   * room: with the last seq it has been sent. "deleted" when the session was deleted first, "stopped" when the
   * watch was stopped or the socket disconnected first. Rejects when the log could not be read.
   */
  live: Promise<number | "deleted" | "stopped">;
  /** Stops sending the session to the socket (it leaves the live room). */
  stop(): void;
};

export type TWatchOptions = {
  socket: TRealtimeSocket;
  sessionId: string;
  audience: TViewAudience;
  afterSeq: number;
  /** The session's last seq as the join read it: the socket is sent at least that far; a new feed starts there. */
  lastSeq: number;
  /**
   * The feed ended under a socket that was live: the session was deleted (the socket has been sent
   * `session:deleted`), or the feed failed (logged). The socket gets nothing more of the session.
   */
  onEnded(): void;
};

/**
 * The sessions this Socket.io server's sockets watch: for each, one feed, started by the first
 * socket to join and stopped when the last one leaves.
 */
export class SessionFeeds {
  private readonly feeds = new Map<string, SessionFeed>();

  constructor(
    private readonly io: RealtimeServer,
    private readonly deps: TFeedDeps,
  ) {}

  watch(options: TWatchOptions): TFeedWatch {
    let feed = this.feeds.get(options.sessionId);
    if (!feed) {
      const created = new SessionFeed(this.io, options.sessionId, options.lastSeq, this.deps, () => {
        if (this.feeds.get(options.sessionId) === created) this.feeds.delete(options.sessionId);
      });
      this.feeds.set(options.sessionId, (feed = created));
    }
    return feed.watch(options);
  }
}

type TEnding = { kind: "deleted" } | { kind: "failed"; error: unknown } | { kind: "stopped" };

type TWatcher = {
  socket: TRealtimeSocket;
  audience: TViewAudience;
  /** The last seq sent to the socket. */
  cursor: number;
  /** The session's last seq when the socket joined: it has at least that much before it is live. */
  lastSeq: number;
  live: boolean;
  stopped: boolean;
  onEnded(): void;
  onDisconnect(): void;
};

/**
 * One session's live events in this server, for every socket of it that watches the session: one
 * `followSession` (so one bus subscription and one poll, shared with the process's other followers),
 * and each batch of events encoded once per audience and broadcast to that audience's live room —
 * not read, filtered and encoded once per socket.
 *
 * A joining socket catches up on its own (from the events the feed keeps, or from the log), then
 * joins the live room at the moment it has exactly what the feed has broadcast: the check and the
 * join happen in one synchronous step, between two broadcasts, so it misses and repeats nothing.
 */
class SessionFeed {
  /** The last seq broadcast to the live rooms. */
  private cursor: number;
  /** The latest events, contiguous, ending at `cursor` (at most RECENT_EVENTS). */
  private recent: TStoredEvent[] = [];
  private state: "starting" | "live" | "closed" = "starting";
  private ending: TEnding | undefined;
  private readonly follow: TSessionFollow;
  private readonly watchers = new Set<TWatcher>();
  private readonly liveCount = new Map<TViewAudience, number>();
  /** Resolved whenever the cursor moves or the state changes. */
  private changed = deferred();
  /** Reads of the log under way for catching sockets up, by the seq they read after. */
  private readonly reads = new Map<number, Promise<TStoredEvent[]>>();

  constructor(
    private readonly io: RealtimeServer,
    private readonly sessionId: string,
    startSeq: number,
    private readonly deps: TFeedDeps,
    private readonly onClosed: () => void,
  ) {
    this.cursor = startSeq;
    this.follow = followSession(sessionId, startSeq, { store: deps.store, bus: deps.bus, pollMs: deps.pollMs, previews: true });
    this.run().catch((error: unknown) => {
      deps.log.error("session feed failed", { sessionId, error });
      this.close({ kind: "failed", error });
    });
  }

  watch(options: TWatchOptions): TFeedWatch {
    const { socket } = options;
    const watcher: TWatcher = {
      socket,
      audience: options.audience,
      cursor: options.afterSeq,
      lastSeq: options.lastSeq,
      live: false,
      stopped: false,
      onEnded: options.onEnded,
      onDisconnect: () => this.unwatch(watcher),
    };
    this.watchers.add(watcher);
    socket.once("disconnect", watcher.onDisconnect);
    return { live: this.catchUp(watcher), stop: () => this.unwatch(watcher) };
  }

  private async run(): Promise<void> {
    for await (const item of this.follow) {
      if (item.kind === "events") this.broadcast(item.events);
      else if (item.kind === "preview") this.preview(item.preview);
      else if (item.kind === "caught-up") {
        this.state = "live";
        this.wake();
      } else if (item.kind === "read-failed") {
        if (this.state === "starting") return this.close({ kind: "failed", error: item.error });
        this.deps.log.warn("session log read failed", { sessionId: this.sessionId, error: item.error });
      } else return this.deleted();
    }
  }

  /** Brings the socket up to the feed, then into the live room. */
  private async catchUp(watcher: TWatcher): Promise<number | "deleted" | "stopped"> {
    for (;;) {
      if (this.state === "closed") {
        if (this.ending?.kind === "failed") throw this.ending.error;
        return this.ending?.kind === "deleted" ? "deleted" : "stopped";
      }
      if (watcher.stopped) return "stopped";
      if (this.state === "starting") {
        await this.changed.promise;
        continue;
      }
      if (watcher.cursor > this.cursor || watcher.lastSeq > this.cursor) {
        // the log holds more than the feed has had (its bus message is on its way, or lost): read now
        this.follow.refresh();
        await this.changed.promise;
        continue;
      }
      const first = this.recent[0]?.seq ?? this.cursor + 1;
      if (watcher.cursor + 1 >= first) {
        this.send(watcher, this.recent.slice(watcher.cursor + 1 - first));
        watcher.live = true;
        watcher.socket.off("disconnect", watcher.onDisconnect);
        // synchronous with both adapters used here (in-memory, Redis): nothing is broadcast between the send and the join
        void watcher.socket.join(liveRoom(this.sessionId, watcher.audience));
        this.liveCount.set(watcher.audience, (this.liveCount.get(watcher.audience) ?? 0) + 1);
        return watcher.cursor;
      }
      const events = await this.read(watcher.cursor);
      if (watcher.stopped || this.isClosed()) continue; // the top of the loop says how it ended
      const fresh = events.filter((e) => e.seq > watcher.cursor);
      if (fresh.some((e, i) => e.seq !== watcher.cursor + 1 + i)) throw new Error("the session log returned a gap");
      this.send(watcher, fresh);
    }
  }

  /** A page of the log after `afterSeq`, shared by the sockets catching up from the same seq at once. */
  private read(afterSeq: number): Promise<TStoredEvent[]> {
    let read = this.reads.get(afterSeq);
    if (!read) {
      read = this.deps.store.getEvents(this.sessionId, { afterSeq, limit: FOLLOW_PAGE_SIZE });
      this.reads.set(afterSeq, read);
      const done = () => void this.reads.delete(afterSeq);
      read.then(done, done);
    }
    return read;
  }

  /** Sends the socket, on its own, the events after its cursor (which continue it). */
  private send(watcher: TWatcher, events: readonly TStoredEvent[]): void {
    if (events.length === 0) return;
    watcher.cursor = events[events.length - 1]!.seq;
    const view = toViewEvents(events, watcher.audience);
    if (view.length > 0) watcher.socket.emit("session:events", { sessionId: this.sessionId, events: view });
  }

  private broadcast(events: TStoredEvent[]): void {
    // followSession hands over each seq once, in order, with no gap
    this.cursor = events[events.length - 1]!.seq;
    this.recent.push(...events);
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
    for (const audience of AUDIENCES) {
      if (!this.liveCount.get(audience)) continue;
      const view = toViewEvents(events, audience);
      if (view.length > 0) this.io.local.to(liveRoom(this.sessionId, audience)).emit("session:events", { sessionId: this.sessionId, events: view });
    }
    this.wake();
  }

  /**
   * Decision: a command's live output (`tool_output`) goes to members only, the session page being
   * the one view that shows it; API clients get Managed Agents vocabulary, and the replay shows
   * output once it is recorded.
   */
  private preview(preview: TPreview): void {
    const payload = { sessionId: this.sessionId, preview };
    const audiences = preview.type === "tool_output" ? PREVIEW_TOOL_OUTPUT_TO : AUDIENCES;
    const rooms = audiences.filter((audience) => this.liveCount.get(audience)).map((audience) => liveRoom(this.sessionId, audience));
    if (rooms.length > 0) this.io.local.to(rooms).emit("session:preview", payload);
    for (const watcher of this.watchers) if (!watcher.live && audiences.includes(watcher.audience)) watcher.socket.emit("session:preview", payload);
  }

  private deleted(): void {
    const rooms = AUDIENCES.map((audience) => liveRoom(this.sessionId, audience));
    this.io.local.to(rooms).emit("session:deleted", { sessionId: this.sessionId });
    for (const watcher of this.watchers) if (!watcher.live) watcher.socket.emit("session:deleted", { sessionId: this.sessionId });
    this.close({ kind: "deleted" });
  }

  private unwatch(watcher: TWatcher): void {
    if (watcher.stopped) return;
    watcher.stopped = true;
    this.watchers.delete(watcher);
    watcher.socket.off("disconnect", watcher.onDisconnect);
    if (watcher.live) {
      this.liveCount.set(watcher.audience, this.liveCount.get(watcher.audience)! - 1);
      void watcher.socket.leave(liveRoom(this.sessionId, watcher.audience));
    }
    this.wake();
    if (this.watchers.size === 0) this.close({ kind: "stopped" });
  }

  private close(ending: TEnding): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.ending = ending;
    void this.follow.return();
    this.onClosed();
    this.wake(); // the sockets still catching up see the ending
    if (ending.kind !== "stopped") for (const watcher of [...this.watchers]) if (watcher.live) watcher.onEnded();
  }

  private isClosed(): boolean {
    return this.state === "closed";
  }

  private wake(): void {
    const changed = this.changed;
    this.changed = deferred();
    changed.resolve();
  }
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
