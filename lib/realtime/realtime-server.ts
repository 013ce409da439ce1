import type { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, TSocketData } from "./session-protocol";

/**
 * The Socket.io server of live sessions, typed with its protocol. In a file of its own so that
 * what attaches the server (socket-server.ts) and what it attaches (member-removal.ts) both name
 * it without importing each other.
 */
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, TSocketData>;
