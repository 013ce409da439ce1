import "server-only";
import { createHash } from "node:crypto";
import type { TMemoryMount } from "./memory-mounts";
import type { SessionMemory, TMemoryChange, TMemoryChangeOutcome, TMemoryDocument } from "./session-memory";

const sha256 = (content: string) => createHash("sha256").update(content, "utf8").digest("hex");

/**
 * A `SessionMemory` in memory, for unit tests, with the same guard as the database's: a change
 * applies only if the memory still has the content the session was given. Every saved write is
 * kept in `writes` with the session that made it; `set` changes a memory as someone else would.
 */
export class InMemorySessionMemory implements SessionMemory {
  private readonly stores = new Map<string, Map<string, string>>();
  readonly writes: Array<{ sessionId: string; storeId: string; change: TMemoryChange }> = [];

  set(storeId: string, path: string, content: string | null): void {
    const store = this.stores.get(storeId) ?? new Map<string, string>();
    this.stores.set(storeId, store);
    if (content === null) store.delete(path);
    else store.set(path, content);
  }

  get(storeId: string, path: string): string | undefined {
    return this.stores.get(storeId)?.get(path);
  }

  async read(_sessionId: string, mount: TMemoryMount): Promise<TMemoryDocument[]> {
    const store = this.stores.get(mount.storeId);
    if (!store) throw new Error(`memory store ${mount.storeId} not found`);
    return [...store.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, content]) => ({ path, content, sha256: sha256(content) }));
  }

  async apply(sessionId: string, mount: TMemoryMount, change: TMemoryChange): Promise<TMemoryChangeOutcome> {
    const store = this.stores.get(mount.storeId);
    if (!store) throw new Error(`memory store ${mount.storeId} not found`);
    const current = store.get(change.path);
    const expected = change.expectedSha256;
    if (change.type === "delete") {
      if (current === undefined) return { status: "saved" };
      if (sha256(current) !== expected) return { status: "conflict" };
      store.delete(change.path);
    } else {
      if (expected === null ? current !== undefined : current === undefined || sha256(current) !== expected) return { status: "conflict" };
      if (change.path.includes("..")) return { status: "refused", reason: "path: must not have . or .. segments" };
      store.set(change.path, change.content);
    }
    this.writes.push({ sessionId, storeId: mount.storeId, change });
    return { status: "saved" };
  }
}
