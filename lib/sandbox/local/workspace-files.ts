import "server-only";
import { constants } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { SandboxError } from "../errors";
import { toSandboxPath } from "../paths";

/**
 * Host-side access to a workspace that sandboxed code controls, so every path component may be a
 * symlink planted to lead out. Each directory is opened through the previous one's descriptor
 * (/proc/self/fd/N/name, which is openat(2)) and the opened object's real location is checked
 * before it is used: a symlink that resolves inside the workspace is followed, one that leads out
 * is refused, and a rename racing with us cannot redirect an already-checked descriptor.
 * A leaf is opened with O_NOFOLLOW, so creating a file never goes through a planted link.
 */

/** Owner given to files and directories the host creates, so the sandbox user can change them. */
export interface WorkspaceOwner {
  uid: number;
  gid: number;
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;

export async function readWorkspaceFile(
  root: string,
  relative: string,
  maxBytes: number,
  symlinksLeft = 8,
): Promise<Buffer> {
  const parts = splitParts(relative);
  const leaf = parts.pop();
  if (leaf === undefined) throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is a directory`);
  const dir = await openDirectory(root, parts, relative, null);
  let file: FileHandle | undefined;
  try {
    try {
      file = await fs.open(procPath(dir, leaf), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    } catch (error) {
      if (errorCode(error) !== "ELOOP") throw error;
      const target = await realpathInside(root, procPath(dir, leaf), relative);
      if (symlinksLeft === 0) throw new SandboxError("io_error", `too many symbolic links at ${toSandboxPath(relative)}`);
      return await readWorkspaceFile(root, target, maxBytes, symlinksLeft - 1);
    }
    await assertInside(root, file, relative);
    const stat = await file.stat();
    if (!stat.isFile()) throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new SandboxError("too_large", `${toSandboxPath(relative)} is ${stat.size} bytes (limit ${maxBytes})`);
    }
    return await file.readFile();
  } catch (error) {
    throw mapIoError(error, relative);
  } finally {
    await file?.close();
    await dir.close();
  }
}

export async function writeWorkspaceFile(
  root: string,
  relative: string,
  content: string | Buffer,
  owner: WorkspaceOwner | null,
  symlinksLeft = 8,
): Promise<void> {
  const parts = splitParts(relative);
  const leaf = parts.pop();
  if (leaf === undefined) throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is a directory`);
  const dir = await openDirectory(root, parts, relative, owner);
  let file: FileHandle | undefined;
  try {
    try {
      file = await fs.open(procPath(dir, leaf), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0o644);
    } catch (error) {
      if (errorCode(error) !== "ELOOP") throw mapIoError(error, relative);
      // The leaf is a symlink: follow it only to a place inside the workspace.
      const target = await realpathInside(root, procPath(dir, leaf), relative);
      if (symlinksLeft === 0) throw new SandboxError("io_error", `too many symbolic links at ${toSandboxPath(relative)}`);
      return await writeWorkspaceFile(root, target, content, owner, symlinksLeft - 1);
    }
    await assertInside(root, file, relative);
    if (!(await file.stat()).isFile()) {
      throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is not a regular file`);
    }
    await file.truncate(0);
    await file.writeFile(content);
    if (owner) await file.chown(owner.uid, owner.gid);
  } catch (error) {
    throw mapIoError(error, relative);
  } finally {
    await file?.close();
    await dir.close();
  }
}

async function openDirectory(
  root: string,
  parts: string[],
  relative: string,
  createAs: WorkspaceOwner | null,
): Promise<FileHandle> {
  let dir = await fs.open(root, O_RDONLY | O_DIRECTORY).catch((error: unknown) => {
    throw new SandboxError("sandbox_dead", "the sandbox workspace no longer exists", { cause: error });
  });
  try {
    for (const part of parts) {
      const next = procPath(dir, part);
      if (createAs) {
        try {
          await fs.mkdir(next, 0o755);
          await fs.lchown(next, createAs.uid, createAs.gid);
        } catch (error) {
          if (errorCode(error) !== "EEXIST") throw error;
        }
      }
      const opened = await fs.open(next, O_RDONLY | O_DIRECTORY);
      await dir.close();
      dir = opened;
      await assertInside(root, dir, relative);
    }
    return dir;
  } catch (error) {
    await dir.close();
    throw mapIoError(error, relative);
  }
}

async function assertInside(root: string, handle: FileHandle, relative: string): Promise<void> {
  const actual = await fs.readlink(`/proc/self/fd/${handle.fd}`);
  if (actual !== root && !actual.startsWith(`${root}/`)) {
    throw new SandboxError("path_outside_workspace", `${toSandboxPath(relative)} resolves outside the workspace`);
  }
}

/**
 * Resolves a symlink and returns the workspace-relative path of its target. A dangling link gets
 * the same answer as one leading out, so the model cannot probe which host paths exist.
 */
async function realpathInside(root: string, linkPath: string, relative: string): Promise<string> {
  const target = await fs.realpath(linkPath).catch(() => null);
  if (target === null || (target !== root && !target.startsWith(`${root}/`))) {
    throw new SandboxError(
      "path_outside_workspace",
      `${toSandboxPath(relative)} is a symbolic link that does not resolve inside the workspace`,
    );
  }
  return path.relative(root, target);
}

function procPath(dir: FileHandle, name: string): string {
  return `/proc/self/fd/${dir.fd}/${name}`;
}

function splitParts(relative: string): string[] {
  return relative === "" ? [] : relative.split("/");
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function mapIoError(error: unknown, relative: string): SandboxError {
  if (error instanceof SandboxError) return error;
  const where = toSandboxPath(relative);
  switch (errorCode(error)) {
    case "ENOENT":
      return new SandboxError("not_found", `${where} does not exist`, { cause: error });
    case "ENOTDIR":
      return new SandboxError("not_found", `a parent of ${where} is not a directory`, { cause: error });
    case "EISDIR":
      return new SandboxError("not_a_file", `${where} is a directory`, { cause: error });
    case "ELOOP":
      return new SandboxError("io_error", `too many symbolic links at ${where}`, { cause: error });
    default:
      return new SandboxError("io_error", `cannot access ${where}: ${(error as Error).message}`, { cause: error });
  }
}
