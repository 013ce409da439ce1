import type { z } from "zod";
import type { TRealtimeSocket } from "./authorize-viewer";
import { joinSession, leaveSession, type TJoinedSessions, type TSessionRoomDeps } from "./join-session";
import { SESSION_JOIN, SESSION_LEAVE, ZJoinPayloadSchema, ZLeavePayloadSchema } from "./session-protocol";

export type { TSessionRoomDeps } from "./join-session";

function issueMessage(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "payload"}: ${issue.message}`;
}

const noAck = () => {};

/**
 * The live-session handlers of one socket: `session:join`, `session:leave`, and on disconnect
 * the end of every join. A socket's joins and leaves run one after the other, in the order sent.
 */
export function handleSessionRoom(socket: TRealtimeSocket, deps: TSessionRoomDeps): void {
  socket.data.viewers = {};
  const joined: TJoinedSessions = new Map();
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  socket.on(SESSION_JOIN, (payload, ack) => {
    const reply = typeof ack === "function" ? ack : noAck;
    const parsed = ZJoinPayloadSchema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: "invalid_request", message: issueMessage(parsed.error) });
    void inTurn(() => joinSession(deps, { socket, joined, ...parsed.data })).then(reply, () => reply({ ok: false, error: "unavailable" }));
  });

  socket.on(SESSION_LEAVE, (payload, ack) => {
    const reply = typeof ack === "function" ? ack : noAck;
    const parsed = ZLeavePayloadSchema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: "invalid_request", message: issueMessage(parsed.error) });
    void inTurn(() => leaveSession(deps, { socket, joined, sessionId: parsed.data.sessionId })).then(
      () => reply({ ok: true }),
      () => reply({ ok: true }),
    );
  });

  socket.on("disconnect", () => {
    // The socket has left its rooms already, so presence read now leaves it out. A join still
    // running sees the disconnection when it resumes and undoes itself.
    for (const [sessionId, follow] of joined) {
      follow.stop();
      void deps.presence.update(sessionId);
    }
    joined.clear();
  });
}
