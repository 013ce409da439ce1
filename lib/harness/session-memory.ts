import "server-only";
import type { TMemoryMount } from "./memory-mounts";

/**
 * What the harness needs of memory stores to mount them in a session's sandbox: the memories of a
 * store as they are now, and a way to write a change back as the session, guarded like an API
 * update (the content the session was given must still be there). The memory stores use-cases
 * implement it (lib/memory-stores/prisma-session-memory.ts) and the composition root passes it in:
 * the harness does not import the layer above it. `InMemorySessionMemory` serves unit tests.
 */
export type TMemoryDocument = { path: string; content: string; sha256: string };

/** A change found in a mount after a tool call, on a memory path (`/notes.md`). */
export type TMemoryChange =
  /** `expectedSha256`: the content the session was given; null: the path had no memory then. */
  | { type: "put"; path: string; content: string; expectedSha256: string | null }
  | { type: "delete"; path: string; expectedSha256: string };

export type TMemoryChangeOutcome =
  | { status: "saved" }
  /** Someone else changed (created, modified, deleted) the memory since it was mounted: nothing written. */
  | { status: "conflict" }
  /** Not a valid write (bad path, too big, archived store): nothing written; `reason` is for the model. */
  | { status: "refused"; reason: string };

export interface SessionMemory {
  /** The store's memories now, in path order. Throws when the store is gone (deleted) or not the session's team's. */
  read(sessionId: string, mount: TMemoryMount): Promise<TMemoryDocument[]>;
  /** Applies one change, recorded as written by the session (`session_actor`). */
  apply(sessionId: string, mount: TMemoryMount, change: TMemoryChange): Promise<TMemoryChangeOutcome>;
}
