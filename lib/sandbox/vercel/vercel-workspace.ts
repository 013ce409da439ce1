import "server-only";
import { Sandbox as VercelVm, type Session } from "@vercel/sandbox";
import { toSdkCredentials, type VercelCredentials, type VercelSdkCredentials } from "@/lib/vercel-credentials";
import { SandboxError } from "../errors";
import { compareWorkspacePaths, type WorkspaceEntry, type WorkspaceListingLimits, type WorkspaceLocator, type WorkspaceReader } from "../workspace-reader";
import { toSandboxError } from "./api-errors";
import { SESSION_TAG } from "./vercel-sandbox-provider";
import { VERCEL_WORKSPACE_DIR } from "./workspace-paths";

/**
 * The workspace of a session's Vercel sandbox, for the session page's Files tab, from any process
 * with the installation's Vercel credentials: the provider tags every VM with its session's id
 * (`oma_session`), so the newest running VM with that tag is the session's live sandbox. A VM that
 * is snapshotted (put away while idle) or stopped is not live: it is not restored to be read.
 * Reading runs commands and the file API in the VM; nothing is written there.
 */
export class VercelWorkspaces implements WorkspaceLocator {
  private readonly credentials: VercelSdkCredentials;

  constructor(private readonly options: { credentials: VercelCredentials; fetch?: typeof globalThis.fetch }) {
    this.credentials = toSdkCredentials(options.credentials);
  }

  async find(sessionId: string): Promise<WorkspaceReader | null> {
    const doing = "finding the session's Vercel sandbox";
    try {
      const page = await VercelVm.list({ ...this.credentials, fetch: this.options.fetch, tags: { [SESSION_TAG]: sessionId }, sortBy: "createdAt", sortOrder: "desc", limit: 10 });
      const live = page.sandboxes.find((s) => s.status === "running");
      if (!live) return null;
      const vm = await VercelVm.get({ ...this.credentials, fetch: this.options.fetch, name: live.name, resume: false });
      if (vm.status !== "running") return null;
      return new VercelWorkspaceReader(vm.currentSession());
    } catch (error) {
      throw toSandboxError(error, "io_error", doing);
    }
  }
}

/** Bound on a listing: entries asked of the VM before sorting (the listing says `truncated` past it). */
const FOUND_LIMIT = 50_000;

/** $1 = depth: entries (type, size, path) NUL-separated, at most $2 of them. */
const LIST_SCRIPT = [
  `cd ${VERCEL_WORKSPACE_DIR} || exit 3`,
  `find . -mindepth 1 -maxdepth "$1" \\( -type f -o -type d -o -type l \\) -printf '%y\\0%s\\0%P\\0' | head -z -n "$2"`,
].join("\n");

/**
 * Resolves $1 (relative to the workspace) and prints its size when it is a regular file inside
 * the workspace: exit 2 missing, 4 leads out of the workspace, 5 not a regular file.
 */
const STAT_SCRIPT = [
  `cd ${VERCEL_WORKSPACE_DIR} || exit 3`,
  '[ -e "$1" ] || exit 2',
  'p="$(realpath -e -- "$1")" || exit 2',
  `case "$p" in ${VERCEL_WORKSPACE_DIR}/*) ;; *) exit 4 ;; esac`,
  '[ -f "$p" ] || exit 5',
  'printf "%s\\0%s" "$(stat -c %s -- "$p")" "$p"',
].join("\n");

class VercelWorkspaceReader implements WorkspaceReader {
  constructor(private readonly session: Session) {}

  async list(limits: WorkspaceListingLimits): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
    const result = await this.run("listing the workspace", ["-c", LIST_SCRIPT, "bash", String(limits.maxDepth), String(FOUND_LIMIT * 3)]);
    const tokens = result.split("\0");
    const found: WorkspaceEntry[] = [];
    let truncated = false;
    for (let i = 0; i + 2 < tokens.length; i += 3) {
      const [kind, size, path] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
      const type = kind === "d" ? "directory" : kind === "l" ? "link" : "file";
      if (type === "directory" && path.split("/").length >= limits.maxDepth) truncated = true; // not opened
      found.push({ path, type, size: type === "file" ? Number(size) || 0 : 0 });
    }
    if (found.length >= FOUND_LIMIT) truncated = true;
    found.sort((a, b) => compareWorkspacePaths(a.path, b.path));
    if (found.length > limits.maxEntries) truncated = true;
    return { entries: found.slice(0, limits.maxEntries), truncated };
  }

  async read(relative: string, maxBytes: number): Promise<Buffer> {
    const where = `/workspace/${relative}`;
    let stat;
    try {
      stat = await this.session.runCommand({ cmd: "bash", args: ["-c", STAT_SCRIPT, "bash", relative] });
    } catch (error) {
      throw toSandboxError(error, "io_error", `reading ${where}`);
    }
    switch (stat.exitCode) {
      case 0:
        break;
      case 2:
        throw new SandboxError("not_found", `${where} does not exist`);
      case 4:
        throw new SandboxError("not_a_file", `${where} leads out of the workspace`);
      case 5:
        throw new SandboxError("not_a_file", `${where} is not a regular file`);
      default:
        throw new SandboxError("io_error", `cannot read ${where}`);
    }
    const [size, resolved] = (await stat.stdout()).split("\0");
    if (Number(size) > maxBytes) throw new SandboxError("too_large", `${where} is ${size} bytes (limit ${maxBytes})`);
    let bytes: Buffer | null;
    try {
      bytes = await this.session.readFileToBuffer({ path: resolved! });
    } catch (error) {
      throw toSandboxError(error, "io_error", `reading ${where}`);
    }
    if (bytes === null) throw new SandboxError("not_found", `${where} does not exist`);
    if (bytes.length > maxBytes) throw new SandboxError("too_large", `${where} is larger than ${maxBytes} bytes`);
    return bytes;
  }

  private async run(doing: string, args: string[]): Promise<string> {
    try {
      const result = await this.session.runCommand({ cmd: "bash", args });
      if (result.exitCode !== 0) throw new SandboxError("io_error", `${doing}: ${(await result.stderr()).trim() || `exit code ${result.exitCode}`}`);
      return await result.stdout();
    } catch (error) {
      throw toSandboxError(error, "io_error", doing);
    }
  }
}
