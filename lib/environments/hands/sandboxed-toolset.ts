import type { BetaRunnableTool } from "@anthropic-ai/sdk/lib/tools/BetaRunnableTool";
import { ToolError } from "@anthropic-ai/sdk/lib/tools/ToolError";
import type { NetworkPolicy } from "@/lib/egress/host-match";
import { MEMORY_MOUNT_ROOT, type MemoryMount, type Sandbox, type SandboxProvider } from "@/lib/sandbox/types";
import { BUILTIN_TOOLS, executeTool } from "@/lib/tools";

export type TSandboxedToolsetOptions = {
  provider: SandboxProvider;
  sessionId: string;
  /** What the sandbox may reach (absent: no network). */
  network?: NetworkPolicy;
  /** The session's memory stores as the SDK's worker synced them onto this machine (`sessionMemoryMounts`). */
  memoryMounts?: readonly MemoryMount[];
};

/** What the SDK's worker hands a `tools` factory about a session's memory stores. */
export type TWorkerToolContext = {
  session?: { id: string; resources?: readonly unknown[] };
  /** The roots the file tools may reach: the stores' directories the SDK downloaded. */
  allowedRoots?: readonly string[];
  readOnlyRoots?: readonly string[];
};

const MOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * The session's memory stores as bind mounts of its sandbox. The SDK's worker downloads each store
 * to its `mount_path` on the worker's machine (`/mnt/memory/<name>`), lists it in `allowedRoots`
 * (`readOnlyRoots` for a read-only one) and syncs it back as the session runs and when it ends
 * (changed files become new memory versions, through the memory API with the item's token). The
 * sandbox sees that same directory at the same path: a read-only store read-only (EROFS), as on
 * the platform's own sandboxes. A store the SDK did not download (not in `allowedRoots`) is not
 * mounted.
 */
export function sessionMemoryMounts(ctx: TWorkerToolContext): MemoryMount[] {
  const allowed = new Set(ctx.allowedRoots ?? []);
  const readOnly = new Set(ctx.readOnlyRoots ?? []);
  return (ctx.session?.resources ?? []).flatMap((resource): MemoryMount[] => {
    const r = resource as { type?: unknown; mount_path?: unknown; access?: unknown } | null;
    if (r?.type !== "memory_store" || typeof r.mount_path !== "string" || !allowed.has(r.mount_path)) return [];
    const name = r.mount_path.startsWith(`${MEMORY_MOUNT_ROOT}/`) ? r.mount_path.slice(MEMORY_MOUNT_ROOT.length + 1) : "";
    if (!MOUNT_NAME.test(name)) return [];
    return [{ name, hostDir: r.mount_path, readOnly: r.access === "read_only" || readOnly.has(r.mount_path) }];
  });
}

/**
 * The built-in tools (bash, read, write, edit, glob, grep) of one session as the SDK's runnable
 * tools, for its `EnvironmentWorker`: each call runs in the session's sandbox, provisioned on the
 * session's first call, so paths are the sandbox's (`/workspace`, as in a platform session). A
 * sandbox that died, or whose call the SDK stopped (killing the command), is replaced on the next
 * call; `close()` (the SDK calls it on every tool when the session's runner stops) destroys it.
 * An error result becomes a thrown `ToolError`, which the SDK posts as `is_error: true` with the
 * same text.
 */
export function sandboxedToolset(options: TSandboxedToolsetOptions): BetaRunnableTool[] {
  let current: Promise<Sandbox> | undefined;

  const sandbox = (): Promise<Sandbox> => {
    current ??= options.provider.provision({
      sessionId: options.sessionId,
      ...(options.network ? { network: options.network } : {}),
      ...(options.memoryMounts?.length ? { memoryMounts: options.memoryMounts } : {}),
    });
    const provisioning = current;
    // a failed provisioning is that call's error; the next call tries again
    provisioning.catch(() => {
      if (current === provisioning) current = undefined;
    });
    return provisioning;
  };

  const close = async (): Promise<void> => {
    const closing = current;
    current = undefined;
    if (!closing) return;
    try {
      await (await closing).destroy();
    } catch {
      // never provisioned: nothing to destroy
    }
  };

  /** Drops `provisioning` (when still current) and destroys its sandbox: killing what runs in it. */
  const discard = (provisioning: Promise<Sandbox>) => {
    if (current === provisioning) current = undefined;
    void provisioning.then((s) => s.destroy()).catch(() => {});
  };

  const run = async (name: string, input: unknown, signal?: AbortSignal | null): Promise<string> => {
    if (signal?.aborted) throw new ToolError(`The ${name} tool was stopped before it ran.`);
    const provisioning = sandbox();
    let box: Sandbox;
    try {
      box = await provisioning;
    } catch (error) {
      throw new ToolError(`The ${name} tool could not start its sandbox: ${error instanceof Error ? error.message : String(error)}`);
    }
    // stopped (the SDK's per-call timeout, a lost lease, the session gone): the sandbox goes, with
    // the command in it; the session's next call gets a new one over the same workspace
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        discard(provisioning);
        reject(new ToolError(`The ${name} tool was stopped.`));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const result = await Promise.race([executeTool(box, name, input), aborted]);
      if (result.errorCode === "sandbox_dead") discard(provisioning);
      if (result.isError) throw new ToolError(result.content);
      return result.content;
    } finally {
      signal?.removeEventListener("abort", onAbort!);
    }
  };

  return BUILTIN_TOOLS.map(
    (tool): BetaRunnableTool => ({
      name: tool.definition.name,
      description: tool.definition.description,
      input_schema: tool.definition.input_schema,
      // the input is validated by executeTool, whose errors name the tool's fields
      parse: (input: unknown) => input,
      run: (input: unknown, context) => run(tool.name, input, context?.signal),
      close,
    }),
  );
}
