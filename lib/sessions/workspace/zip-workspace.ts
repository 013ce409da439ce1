import "server-only";
import { Zip, ZipDeflate } from "fflate";
import type { WorkspaceReader } from "@/lib/sandbox/workspace-reader";
import { LISTING_LIMITS, readWorkspaceEntry } from "./session-workspace";

/** A zip of everything in the workspace stops at this many bytes of files (it says so in a note inside). */
export const ZIP_TOTAL_BYTES = 200 * 1024 * 1024;
const FILE_BYTES = 100 * 1024 * 1024;

/**
 * The workspace as a zip, made as it is sent (one file read at a time): every regular file, under
 * its path; links are left out (they are the sandbox's to resolve). Files past ZIP_TOTAL_BYTES, and
 * files that cannot be read, are named in `NOT-INCLUDED.txt` at the end.
 */
export function zipWorkspace(workspace: WorkspaceReader): ReadableStream<Uint8Array> {
  let zip!: Zip;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      zip = new Zip((error, data, final) => {
        if (error) return controller.error(error);
        controller.enqueue(data);
        if (final) controller.close();
      });
      let listing;
      try {
        listing = await workspace.list(LISTING_LIMITS);
      } catch (error) {
        return controller.error(error);
      }
      const { entries, truncated } = listing;
      const left: string[] = truncated ? ["(the listing stopped at its limit: more files are not included)"] : [];
      let total = 0;
      for (const entry of entries) {
        if (entry.type !== "file") continue;
        if (total + entry.size > ZIP_TOTAL_BYTES) {
          left.push(`${entry.path} (past the zip's ${ZIP_TOTAL_BYTES} bytes)`);
          continue;
        }
        const bytes = await readWorkspaceEntry(workspace, entry.path, FILE_BYTES).catch(() => null);
        if (!bytes) {
          left.push(`${entry.path} (could not be read)`);
          continue;
        }
        total += bytes.length;
        add(entry.path, bytes);
      }
      if (left.length > 0) add("NOT-INCLUDED.txt", Buffer.from(`${left.join("\n")}\n`));
      zip.end();
    },
    cancel() {
      zip?.terminate();
    },
  });

  function add(name: string, bytes: Uint8Array) {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(bytes, true);
  }
}
