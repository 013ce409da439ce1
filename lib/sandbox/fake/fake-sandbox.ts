import "server-only";
import { SandboxError, type SandboxErrorCode } from "../errors";
import { memoryMountTarget, toSandboxPath, toWorkspaceRelative } from "../paths";
import type { ExecOptions, ExecResult, MountContents, Sandbox, SandboxAttachments } from "../types";

export interface FakeExecContext {
  sandbox: FakeSandbox;
  /** The in-memory workspace: workspace-relative path → content. Handlers may read and change it. */
  files: Map<string, Buffer>;
  /** The memory mounts: name → (path relative to the mount → text). Handlers may read and change them. */
  mounts: Map<string, Map<string, string>>;
}

export type FakeExecHandler = (
  command: string,
  options: ExecOptions,
  context: FakeExecContext,
) => Partial<ExecResult> | Promise<Partial<ExecResult>>;

export interface FakeSandboxOptions {
  id: string;
  exec?: FakeExecHandler;
  files?: Record<string, string | Buffer>;
}

export interface FakeExecCall {
  command: string;
  options: ExecOptions;
}

const defaultExec: FakeExecHandler = (command) => ({
  exitCode: 127,
  stderr: `fake sandbox: no exec handler for: ${command}\n`,
});

/**
 * An in-memory sandbox. Directories are implied by file paths. Knobs for tests: `dieOnNextCall()`
 * (the next call fails with sandbox_dead and the sandbox stays dead), `failNextCall(code)` (one
 * call fails with that code), `hang()` (calls never settle until `unhang()`), and `kill()`.
 */
export class FakeSandbox implements Sandbox {
  readonly id: string;
  readonly files = new Map<string, Buffer>();
  readonly execCalls: FakeExecCall[] = [];
  /** Memory mounts, filled by `writeMount` (any name is accepted). */
  readonly mounts = new Map<string, Map<string, string>>();
  /** Repositories given to `attach`, in order. */
  readonly attachedRepositories: SandboxAttachments["repositories"][number][] = [];
  private dead = false;
  private dieNext = false;
  private failNext: SandboxErrorCode | null = null;
  private hung: Array<() => void> | null = null;
  private readonly handler: FakeExecHandler;

  constructor(options: FakeSandboxOptions) {
    this.id = options.id;
    this.handler = options.exec ?? defaultExec;
    for (const [name, content] of Object.entries(options.files ?? {})) {
      this.files.set(toWorkspaceRelative(name), Buffer.from(content));
    }
  }

  dieOnNextCall(): void {
    this.dieNext = true;
  }

  failNextCall(code: SandboxErrorCode = "io_error"): void {
    this.failNext = code;
  }

  hang(): void {
    this.hung ??= [];
  }

  unhang(): void {
    const waiting = this.hung ?? [];
    this.hung = null;
    for (const resume of waiting) resume();
  }

  kill(): void {
    this.dead = true;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    await this.enter();
    this.execCalls.push({ command, options });
    const result = await this.handler(command, options, { sandbox: this, files: this.files, mounts: this.mounts });
    return { exitCode: 0, stdout: "", stderr: "", timedOut: false, truncated: false, ...result };
  }

  async readFile(path: string): Promise<Buffer> {
    const mounted = memoryMountTarget(path);
    if (mounted) {
      await this.enter();
      const text = this.mounts.get(mounted.name)?.get(mounted.relative);
      if (text === undefined) throw new SandboxError("not_found", `${path} does not exist`);
      return Buffer.from(text);
    }
    const relative = toWorkspaceRelative(path);
    await this.enter();
    const content = this.files.get(relative);
    if (content) return Buffer.from(content);
    if (relative === "" || [...this.files.keys()].some((name) => name.startsWith(`${relative}/`))) {
      throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is a directory`);
    }
    throw new SandboxError("not_found", `${toSandboxPath(relative)} does not exist`);
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    const mounted = memoryMountTarget(path);
    if (mounted) {
      await this.enter();
      const files = this.mounts.get(mounted.name);
      if (!files || mounted.relative === "") throw new SandboxError("not_found", `no memory mount at ${path}`);
      files.set(mounted.relative, Buffer.from(content).toString("utf8"));
      return;
    }
    const relative = toWorkspaceRelative(path);
    await this.enter();
    if (relative === "" || [...this.files.keys()].some((name) => name.startsWith(`${relative}/`))) {
      throw new SandboxError("not_a_file", `${toSandboxPath(relative)} is a directory`);
    }
    this.files.set(relative, Buffer.from(content));
  }

  async writeMount(name: string, files: ReadonlyMap<string, string>): Promise<void> {
    await this.enter();
    this.mounts.set(name, new Map(files));
  }

  async readMount(name: string, options: { maxFileBytes: number }): Promise<MountContents> {
    await this.enter();
    const contents: MountContents = { files: new Map(), refused: [] };
    for (const [path, text] of this.mounts.get(name) ?? []) {
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > options.maxFileBytes) contents.refused.push({ path, reason: `${bytes} bytes is over the limit of ${options.maxFileBytes} bytes` });
      else contents.files.set(path, text);
    }
    return contents;
  }

  /**
   * Memory mounts no longer listed are dropped (new ones appear at their first `writeMount`); each
   * repository is recorded in `attachedRepositories` and gets a `README` at its mount path.
   */
  async attach(change: SandboxAttachments): Promise<void> {
    await this.enter();
    const names = new Set(change.memoryMounts.map((m) => m.name));
    for (const name of [...this.mounts.keys()]) if (!names.has(name)) this.mounts.delete(name);
    for (const repo of change.repositories) {
      this.attachedRepositories.push(repo);
      this.files.set(`${toWorkspaceRelative(repo.mountPath)}/README`, Buffer.from(`clone of ${repo.url}\n`));
    }
  }

  async destroy(): Promise<void> {
    this.dead = true;
    this.files.clear();
  }

  async isAlive(): Promise<boolean> {
    return !this.dead;
  }

  private async enter(): Promise<void> {
    if (this.hung) await new Promise<void>((resume) => this.hung?.push(resume));
    if (this.dieNext) {
      this.dieNext = false;
      this.dead = true;
    }
    if (this.dead) throw new SandboxError("sandbox_dead", `sandbox ${this.id} is dead`);
    if (this.failNext) {
      const code = this.failNext;
      this.failNext = null;
      throw new SandboxError(code, `injected ${code} failure`);
    }
  }
}
