import "server-only";
import path from "node:path";
import type { Sandbox } from "@/lib/sandbox/types";
import { WORKSPACE_DIR } from "@/lib/sandbox/types";

/**
 * What the agent leaves in `/workspace/outputs/` becomes the session's files (the SDK's
 * `/mnt/session/outputs/`, put in the workspace as uploads are): after each tool call that may
 * write (bash, write, edit), the harness lists the folder and saves every regular file that is new
 * or changed since it last looked as a File of the Files API, scoped to the session
 * (`scope: {type: "session", id}`; `client.beta.files.list({ scope_id: sessionId })`). A file
 * written again is saved again, as a new File: each save is what the file was then.
 *
 * Decisions:
 * - looked at after the tool call, not at idle: the sandbox is there and its listing is one
 *   command; a file changed twice within one call is saved once, as it was at the end;
 * - what this sandbox saved already is remembered with its lease (path → size and modification
 *   time); a new sandbox of the session starts with an empty folder;
 * - a file over the Files API's size limit, or beyond the first 100 of one listing, is not saved
 *   and the tool result says so; a link is never followed (`find -type f`).
 */
export const OUTPUTS_DIR = `${WORKSPACE_DIR}/outputs`;
const MAX_FILES_PER_CALL = 100;
const WRITING_TOOLS = new Set(["bash", "write", "edit"]);

/** Where the outputs are kept: the Files API's storage (lib/files), handed in by the composition root. */
export type TSessionOutputs = {
  /** Largest file saved, in bytes (the Files API's FILES_MAX_BYTES). */
  maxBytes: number;
  /** Saves `bytes` as a File named after `relativePath`'s last segment, scoped to the session. */
  save(sessionId: string, output: { relativePath: string; bytes: Buffer }): Promise<{ fileId: string }>;
};

/** The regular files under the outputs folder: path relative to it, size and modification time, read from `find -printf`'s NUL-separated lines. */
export function parseListing(stdout: string): Array<{ relativePath: string; size: number; stamp: string }> {
  return stdout.split("\0").flatMap((line) => {
    const [size, stamp, ...rest] = line.split("\t");
    const relativePath = rest.join("\t");
    if (!relativePath || !/^\d+$/.test(size ?? "") || !stamp) return [];
    if (relativePath.split("/").some((p) => p === "" || p === "." || p === "..")) return [];
    return [{ relativePath, size: Number(size), stamp }];
  });
}

/**
 * Saves what is new or changed in the outputs folder after a call of `toolName`; returns notes for
 * what could not be saved. `seen` (the lease's) is updated with what was looked at.
 */
export async function saveOutputs(options: { outputs: TSessionOutputs; sandbox: Sandbox; sessionId: string; toolName: string; seen: Map<string, string> }): Promise<string[]> {
  if (!WRITING_TOOLS.has(options.toolName)) return [];
  const listing = await options.sandbox.exec(`[ -d ${OUTPUTS_DIR} ] || exit 0; find ${OUTPUTS_DIR} -type f -printf '%s\\t%T@\\t%P\\0'`, { timeoutMs: 30_000, bookkeeping: true });
  if (listing.exitCode !== 0 || !listing.stdout) return [];
  const notes: string[] = [];
  const changed = parseListing(listing.stdout).filter((f) => options.seen.get(f.relativePath) !== `${f.size}:${f.stamp}`);
  for (const [i, file] of changed.entries()) {
    const where = path.posix.join(OUTPUTS_DIR, file.relativePath);
    if (i >= MAX_FILES_PER_CALL) {
      notes.push(`${changed.length - MAX_FILES_PER_CALL} more files under ${OUTPUTS_DIR} were not saved: at most ${MAX_FILES_PER_CALL} are saved after one tool call.`);
      break;
    }
    options.seen.set(file.relativePath, `${file.size}:${file.stamp}`);
    if (file.size > options.outputs.maxBytes) {
      notes.push(`${where} was not saved as a file: ${file.size} bytes is over the limit of ${options.outputs.maxBytes}.`);
      continue;
    }
    try {
      await options.outputs.save(options.sessionId, { relativePath: file.relativePath, bytes: await options.sandbox.readFile(where) });
    } catch (error) {
      notes.push(`${where} was not saved as a file: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return notes;
}
