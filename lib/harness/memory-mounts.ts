import "server-only";
import { z } from "zod";
import { MEMORY_MOUNT_ROOT } from "@/lib/sandbox/types";
import type { TAgentConfig } from "./agent-config";

/**
 * A session's memory stores as the harness mounts them, read from the session record's
 * `resources` (the memory_store entries lib/sessions kept at creation: store id, access, mount
 * path, the store's name and description as of then, and the instructions).
 */
export type TMemoryMount = {
  storeId: string;
  /** The mount's directory name: the sandbox sees the store at `/mnt/memory/<name>`. */
  name: string;
  mountPath: string;
  readOnly: boolean;
  storeName: string;
  description: string;
  instructions: string | null;
};

const ZStoredMemoryResource = z.looseObject({
  type: z.literal("memory_store"),
  memory_store_id: z.string(),
  access: z.enum(["read_write", "read_only"]).nullish(),
  mount_path: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  instructions: z.string().nullish(),
});

/** One path segment, as lib/sessions makes mount names (session-memory-stores.ts). */
const MOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * The memory mounts among a session's resources. An entry that does not parse, or whose mount path
 * is not `/mnt/memory/<one safe segment>` (a row changed in the database), is left out: it could
 * not have been made by the API, and it must not point a bind mount anywhere else.
 */
export function memoryMountsOf(resources: readonly unknown[]): TMemoryMount[] {
  return resources.flatMap((resource) => {
    const parsed = ZStoredMemoryResource.safeParse(resource);
    if (!parsed.success) return [];
    const r = parsed.data;
    const name = r.mount_path.startsWith(`${MEMORY_MOUNT_ROOT}/`) ? r.mount_path.slice(MEMORY_MOUNT_ROOT.length + 1) : "";
    if (!MOUNT_NAME.test(name)) return [];
    return [
      {
        storeId: r.memory_store_id,
        name,
        mountPath: r.mount_path,
        readOnly: r.access === "read_only",
        storeName: r.name ?? r.memory_store_id,
        description: r.description ?? "",
        instructions: r.instructions ?? null,
      },
    ];
  });
}

/**
 * The system prompt's memory section: where each store is, whether it can be written, and the
 * store's description and the session's instructions for it, so the agent knows where its memory
 * is. Null without memory stores.
 */
export function memoryPrompt(mounts: readonly TMemoryMount[], options: { syncedByWorker?: boolean } = {}): string | null {
  if (mounts.length === 0) return null;
  const lines = [
    "# Memory",
    "Memory stores are mounted in your sandbox as directories of text files. They outlive this session: read them before you start, and keep what is worth remembering there.",
    options.syncedByWorker
      ? // a self-hosted environment: the SDK's worker syncs the stores on its own cadence (lib/environments/hands)
        "Read and change them with your tools (bash, read, write, edit) at the paths below. The environment's worker saves what you write there as new versions of each memory as the session goes on (after tool calls, and when your turn ends); if someone else changed a memory meanwhile, their version is kept and your change is dropped: read a memory again before you rely on your change."
      : "Read and change them with your tools (bash, read, write, edit) at the paths below. What you write there is saved as a new version of each memory when the tool call ends; if someone else changed a memory meanwhile, the tool result says so and your write is not saved: read the memory again and redo your change.",
  ];
  for (const m of mounts) {
    lines.push("", `## ${m.storeName} — ${m.mountPath} (${m.readOnly ? "read-only" : "read-write"})`);
    if (m.description) lines.push(m.description);
    if (m.instructions) lines.push(`Instructions: ${m.instructions}`);
  }
  return lines.join("\n");
}

/** The agent with the session's memory section after its own system prompt (unchanged without memory stores). */
export function withMemoryPrompt(agent: TAgentConfig, resources: readonly unknown[], options: { syncedByWorker?: boolean } = {}): TAgentConfig {
  const prompt = memoryPrompt(memoryMountsOf(resources), options);
  return prompt ? { ...agent, system: agent.system ? `${agent.system}\n\n${prompt}` : prompt } : agent;
}
