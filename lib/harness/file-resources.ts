import "server-only";
import path from "node:path";
import { z } from "zod";
import type { Sandbox } from "@/lib/sandbox/types";
import { WORKSPACE_DIR } from "@/lib/sandbox/types";

/** A file resource of a session as the harness copies it: the session record's `{type:"file", id, file_id, mount_path}`. */
export type TFileResource = { id: string; fileId: string; mountPath: string };

/**
 * Where the harness finds a session's file resources and their bytes. The files are a use-case of
 * the layer above (lib/files): the composition root hands an implementation in, so the harness does
 * not import it. Both are read before each tool call, so a file added to a running session is
 * copied in before its next tool call.
 */
export type TSessionFiles = {
  /** The session's file resources, as its record holds them now. */
  resources(sessionId: string): Promise<TFileResource[]>;
  /** The file's bytes, or null when the file is gone (deleted through the Files API since). */
  read(fileId: string): Promise<Buffer | null>;
};

const ZStoredFileResource = z.looseObject({ type: z.literal("file"), id: z.string(), file_id: z.string(), mount_path: z.string() });

/**
 * The file resources among a session's resources. An entry that does not parse, or whose mount
 * path is not a normalized path under /workspace (a row changed in the database), is left out.
 */
export function fileResourcesOf(resources: readonly unknown[]): TFileResource[] {
  return resources.flatMap((resource) => {
    const parsed = ZStoredFileResource.safeParse(resource);
    if (!parsed.success) return [];
    const r = parsed.data;
    if (!r.mount_path.startsWith(`${WORKSPACE_DIR}/`) || path.posix.normalize(r.mount_path) !== r.mount_path || r.mount_path.includes("\0")) return [];
    return [{ id: r.id, fileId: r.file_id, mountPath: r.mount_path }];
  });
}

/**
 * Copies into `sandbox` the session's file resources it has not had yet (`copied`: resource ids,
 * kept with the sandbox's lease, so a new sandbox gets every file again), and returns a note for
 * each that could not be copied (the file was deleted, the write failed), for the tool result.
 * Each resource is tried once per sandbox: a failure is not repeated on every later call.
 *
 * Decision: a file is copied once; what the agent does to it afterwards is its own (a later
 * tool call does not overwrite it). Deleting the resource leaves the copy in the sandbox.
 */
export async function copyFileResources(options: { files: TSessionFiles; sandbox: Sandbox; sessionId: string; copied: Set<string> }): Promise<string[]> {
  const pending = (await options.files.resources(options.sessionId)).filter((r) => !options.copied.has(r.id));
  const notes: string[] = [];
  for (const resource of pending) {
    options.copied.add(resource.id);
    try {
      const bytes = await options.files.read(resource.fileId);
      if (!bytes) {
        notes.push(`The file ${resource.fileId} (resource ${resource.id}) was not copied to ${resource.mountPath}: the file no longer exists.`);
        continue;
      }
      await options.sandbox.writeFile(resource.mountPath, bytes);
    } catch (error) {
      notes.push(`The file ${resource.fileId} (resource ${resource.id}) was not copied to ${resource.mountPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return notes;
}
