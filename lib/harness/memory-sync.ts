import "server-only";
import { AppError } from "@/lib/errors";
import { isSandboxError } from "@/lib/sandbox/errors";
import type { MountContents, Sandbox } from "@/lib/sandbox/types";
import type { ToolResult } from "@/lib/tools/types";
import type { TMemoryMount } from "./memory-mounts";
import type { SessionMemory, TMemoryChange, TMemoryDocument } from "./session-memory";

/**
 * Memory stores around a tool call (the sandbox's `/mnt/memory/<name>`, local or Vercel):
 * 1. before it, each store's current memories are written into its mount (`mountMemory`);
 * 2. after it, each read-write mount is read back and compared with what was written
 *    (`diffMount`): a changed or new file is a new version of the memory at its path, a file gone
 *    deletes the memory, each guarded by the content the session was given (`expectedSha256`),
 *    and written as the session;
 * 3. what could not be saved is told to the model, appended to the tool's result (`withNotes`):
 *    someone else changed the memory meanwhile (nothing of theirs is overwritten), or the write is
 *    not a valid memory (bad path, too big, a symlink). No write is lost silently.
 *
 * Decisions:
 * - tool calls of a session with memory stores run one at a time (`oneAtATime`): a coordinator's
 *   threads share one sandbox, and a mount filled for one call must not be read back by another;
 * - a read-only mount is read back too, and never saved: the local sandbox refuses writes to it at
 *   the file system, but a Vercel VM's user has sudo, so whatever a call changed there is rolled
 *   back to what was mounted and the result says so (`undoReadOnly`);
 * - a store that cannot be read (deleted since the session started) is mounted empty for the call,
 *   nothing written to it is saved, and the result says so;
 * - a tool call that hangs (its sandbox is replaced) saves nothing: its mount went with the sandbox.
 */

/** A memory's content limit, in UTF-8 bytes: the API's (lib/memory-stores/schemas.ts MEMORY_LIMITS). */
export const MEMORY_CONTENT_MAX_BYTES = 102_400;

type TMounted = { mount: TMemoryMount; before: TMemoryDocument[] | null };

const toRelative = (memoryPath: string) => memoryPath.slice(1);
const toMemoryPath = (relative: string) => `/${relative}`;

/**
 * The changes that turn `before` (what was mounted) into `after` (what the tool left), in the order
 * they can be applied: deletions first (a directory removed frees its path for a file), then
 * modifications, then new memories. A file that is there but refused (too big, not text) is not a
 * deletion: the memory is left as it was.
 */
export function diffMount(before: readonly TMemoryDocument[], after: MountContents): TMemoryChange[] {
  const was = new Map(before.map((d) => [d.path, d]));
  const present = new Set([...after.files.keys(), ...after.refused.map((r) => r.path)].map(toMemoryPath));
  const deletes: TMemoryChange[] = before.filter((d) => !present.has(d.path)).map((d) => ({ type: "delete", path: d.path, expectedSha256: d.sha256 }));
  const modifies: TMemoryChange[] = [];
  const creates: TMemoryChange[] = [];
  for (const [relative, content] of after.files) {
    const path = toMemoryPath(relative);
    const old = was.get(path);
    if (!old) creates.push({ type: "put", path, content, expectedSha256: null });
    else if (old.content !== content) modifies.push({ type: "put", path, content, expectedSha256: old.sha256 });
  }
  return [...deletes, ...modifies, ...creates];
}

/** Fills every mount with its store's memories as they are now. Sandbox failures are thrown. */
export async function mountMemory(memory: SessionMemory, sandbox: Sandbox, sessionId: string, mounts: readonly TMemoryMount[]): Promise<{ mounted: TMounted[]; notes: string[] }> {
  const mounted: TMounted[] = [];
  const notes: string[] = [];
  for (const mount of mounts) {
    let before: TMemoryDocument[] | null;
    try {
      before = await memory.read(sessionId, mount);
    } catch (error) {
      before = null;
      notes.push(`memory store ${mount.storeName} (${mount.mountPath}) could not be read (${messageOf(error)}): it was empty for this call, and nothing written there was saved.`);
    }
    await sandbox.writeMount(mount.name, new Map((before ?? []).map((d) => [toRelative(d.path), d.content])));
    mounted.push({ mount, before });
  }
  return { mounted, notes };
}

/** Saves what the tool changed in each read-write mount; returns what to tell the model. */
export async function saveMemory(memory: SessionMemory, sandbox: Sandbox, sessionId: string, mounted: readonly TMounted[]): Promise<string[]> {
  const notes: string[] = [];
  for (const { mount, before } of mounted) {
    if (mount.readOnly) {
      notes.push(...(await undoReadOnly(sandbox, mount, before ?? [])));
      continue;
    }
    if (before === null) continue;
    const after = await sandbox.readMount(mount.name, { maxFileBytes: MEMORY_CONTENT_MAX_BYTES });
    for (const refused of after.refused) notes.push(`${mount.mountPath}/${refused.path} was not saved to memory: ${refused.reason}.`);
    for (const change of diffMount(before, after)) {
      const where = `memory ${change.path} in ${mount.storeName} (${mount.mountPath}${change.path})`;
      let outcome;
      try {
        outcome = await memory.apply(sessionId, mount, change);
      } catch (error) {
        notes.push(`${where}: your ${change.type === "delete" ? "deletion" : "write"} was not saved (${messageOf(error)}).`);
        continue;
      }
      if (outcome.status === "conflict") {
        notes.push(`${where} was changed by someone else meanwhile; your ${change.type === "delete" ? "deletion" : "write"} was not saved: read it again.`);
      } else if (outcome.status === "refused") {
        notes.push(`${where}: your ${change.type === "delete" ? "deletion" : "write"} was not saved: ${outcome.reason}`);
      }
    }
  }
  return notes;
}

/** Rolls a read-only mount back to what was mounted when the call changed it; returns the note saying so. */
async function undoReadOnly(sandbox: Sandbox, mount: TMemoryMount, before: readonly TMemoryDocument[]): Promise<string[]> {
  const after = await sandbox.readMount(mount.name, { maxFileBytes: MEMORY_CONTENT_MAX_BYTES });
  const changed = [...diffMount(before, after).map((c) => c.path), ...after.refused.map((r) => toMemoryPath(r.path))];
  if (changed.length === 0) return [];
  await sandbox.writeMount(mount.name, new Map(before.map((d) => [toRelative(d.path), d.content])));
  const shown = changed.slice(0, 10).join(", ") + (changed.length > 10 ? ` and ${changed.length - 10} more` : "");
  return [`${mount.mountPath} is a read-only memory store: your changes there (${shown}) were not saved and have been undone.`];
}

/** The tool's result with what happened to memory appended; unchanged without notes. */
export function withNotes(result: ToolResult, notes: readonly string[]): ToolResult {
  if (notes.length === 0) return result;
  const text = notes.map((n) => `[memory] ${n}`).join("\n");
  return { ...result, content: result.content ? `${result.content}\n\n${text}` : text };
}

/**
 * Runs `call` with the session's memory stores mounted, then saves what it changed. A sandbox
 * failure while mounting or reading back is the call's result (an error the harness acts on, as
 * for the tool itself).
 */
export async function withMemoryMounted(
  options: { memory: SessionMemory; sandbox: Sandbox; sessionId: string; mounts: readonly TMemoryMount[] | (() => readonly TMemoryMount[]) },
  call: () => Promise<ToolResult>,
): Promise<ToolResult> {
  const { memory, sandbox, sessionId } = options;
  return oneAtATime(sandbox, async () => {
    // read when the call's turn comes: a store added or removed meanwhile (session-attachments.ts) counts
    const mounts = typeof options.mounts === "function" ? options.mounts() : options.mounts;
    let prepared;
    try {
      prepared = await mountMemory(memory, sandbox, sessionId, mounts);
    } catch (error) {
      return sandboxFailure(error, "The memory stores could not be mounted; the tool was not run");
    }
    const result = await call();
    try {
      return withNotes(result, [...prepared.notes, ...(await saveMemory(memory, sandbox, sessionId, prepared.mounted))]);
    } catch (error) {
      const failed = sandboxFailure(error, "What the tool wrote to memory could not be read back, and was not saved");
      return { ...failed, content: `${result.content}\n\n[memory] ${failed.content}` };
    }
  });
}

const queues = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `fn` after every earlier call for the same key (a sandbox) has settled: the tool calls of a
 * session with memory stores, and changes to what its sandbox has mounted (session-attachments.ts).
 */
export function oneAtATime<T>(key: object, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  queues.set(key, next.catch(() => {}));
  return next;
}

function sandboxFailure(error: unknown, what: string): ToolResult {
  if (isSandboxError(error)) return { content: `${what}: ${error.message}`, isError: true, errorCode: error.code };
  return { content: `${what}: an internal error.`, isError: true, errorCode: "internal_error" };
}

/** An AppError's message is written for the client; anything else (a database failure) is not shown. */
function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : "an internal error";
}
