import path from "node:path";

const WORKSPACE = "/workspace";
const MAX_MOUNT_PATH = 1024;

/** Where a file resource goes without a `mount_path`: the SDK's `/mnt/session/uploads/<file_id>`, put in the workspace. */
export function defaultFileMountPath(fileId: string): string {
  return `${WORKSPACE}/uploads/${fileId}`;
}

/**
 * A file resource's place in the sandbox: `mount_path` as given (absolute under /workspace, or
 * relative to it), or `/workspace/uploads/<file_id>`. Refused: an empty path, NUL or another
 * control character, a `..` segment (even one that would stay inside), a path over 1024
 * characters, a path ending in `/` (a file needs a name), and anything outside /workspace or the
 * workspace itself. The result is normalized (`a//./b` → `a/b`). Returns the reason instead of
 * throwing, so each caller names its own field.
 *
 * Decision: files go under /workspace only, where every provider can write them (the sandbox's
 * `writeFile`); the SDK's default `/mnt/session/uploads/<file_id>` becomes `/workspace/uploads/<file_id>`.
 */
export function fileMountPath(fileId: string, mountPath?: string | null): { path: string } | { error: string } {
  if (mountPath === undefined || mountPath === null) return { path: defaultFileMountPath(fileId) };
  if (mountPath.length === 0) return { error: "must be a non-empty path" };
  if (mountPath.length > MAX_MOUNT_PATH) return { error: `must be at most ${MAX_MOUNT_PATH} characters` };
  if (/[\x00-\x1f\x7f]/.test(mountPath)) return { error: "must not contain NUL or other control characters" };
  if (mountPath.split("/").includes("..")) return { error: "must not contain a `..` segment" };
  if (mountPath.endsWith("/")) return { error: "must name a file, not a directory (it ends in /)" };
  const absolute = path.posix.resolve(WORKSPACE, mountPath);
  if (!absolute.startsWith(`${WORKSPACE}/`)) return { error: `must be a path under ${WORKSPACE}/ (absolute, or relative to it)` };
  return { path: absolute };
}
