import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { MEMORY_MOUNT_ROOT } from "@/lib/sandbox/types";

/** A memory_store resource as the request gives it (schemas.ts). */
export type TMemoryStoreResourceInput = {
  type: "memory_store";
  memory_store_id: string;
  access?: "read_write" | "read_only";
  instructions?: string;
};

/**
 * What the session keeps of a memory_store resource and the API shows (SDK 1.17
 * `BetaManagedAgentsMemoryStoreResource`): the store's name and description snapshotted at attach
 * time (a later rename does not move the mount), the access (default `read_write`, as the SDK
 * documents), and where it is mounted. The harness reads it from the session record to mount the
 * store and to tell the model (lib/harness/memory-mounts.ts parses the same shape).
 */
export type TWireMemoryStoreResource = {
  type: "memory_store";
  memory_store_id: string;
  access: "read_write" | "read_only";
  instructions: string | null;
  name: string;
  description: string;
  mount_path: string;
};

const MOUNT_NAME_MAX = 64;

/**
 * The store's name made path-safe: lowercase letters, digits, `.`, `_` and `-`, every other run of
 * characters one `-`, trimmed of leading dots and dashes, at most 64 characters. Decision: a name
 * with nothing usable left (all punctuation, or non-Latin script) mounts under the store's id,
 * which is path-safe by construction; so does a name another store of the same session already
 * took, so a mount name is unique per session and stable for the store.
 */
export function memoryMountName(storeName: string, storeId: string, taken: ReadonlySet<string>): string {
  const slug = storeName
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, MOUNT_NAME_MAX)
    .replace(/-+$/, "");
  return slug && !taken.has(slug) ? slug : storeId;
}

/**
 * Checks a new session's memory_store resources: each store is the team's (another team's, or an
 * unknown id, is a 404 naming `resources[i].memory_store_id`), not archived (400), and given once
 * (400: one store mounted twice would be two copies that overwrite each other). Returns them as the
 * session keeps them, in the order given. Reads only: nothing is written here.
 *
 * `existing`: the session's memory stores already (a store added to a running session): their
 * stores count as given, their mount names as taken. `field(index)` names an input in errors
 * (`resources[2]` by default; nothing for the single resource of `POST /v1/sessions/{id}/resources`).
 */
export async function prepareSessionMemoryStores(
  prisma: Pick<PrismaClient, "memoryStore">,
  teamId: string,
  inputs: ReadonlyArray<{ index: number; resource: TMemoryStoreResourceInput }>,
  options: { existing?: ReadonlyArray<{ memory_store_id: string; mount_path: string }>; field?: (index: number) => string } = {},
): Promise<TWireMemoryStoreResource[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map((i) => i.resource.memory_store_id).filter((id) => isId("memoryStore", id));
  const stores = await prisma.memoryStore.findMany({ where: { id: { in: ids }, teamId }, select: { id: true, name: true, description: true, archivedAt: true } });
  const existing = options.existing ?? [];
  const taken = new Set<string>(existing.map((e) => e.mount_path.slice(MEMORY_MOUNT_ROOT.length + 1)));
  const seen = new Set<string>(existing.map((e) => e.memory_store_id));
  const field = options.field ?? ((index: number) => `resources[${index}]`);
  return inputs.map(({ index, resource }) => {
    const path = field(index) ? `${field(index)}.memory_store_id` : "memory_store_id";
    const store = stores.find((s) => s.id === resource.memory_store_id);
    if (!store) throw new AppError("not_found", `${path}: memory store ${resource.memory_store_id.slice(0, 128)} not found`, { path });
    if (store.archivedAt) throw new AppError("invalid_request", `${path}: memory store ${store.id} is archived: a session cannot mount it`, { path });
    if (seen.has(store.id)) throw new AppError("invalid_request", `${path}: memory store ${store.id} is already among the session's resources`, { path });
    seen.add(store.id);
    const name = memoryMountName(store.name, store.id, taken);
    taken.add(name);
    return {
      type: "memory_store",
      memory_store_id: store.id,
      access: resource.access ?? "read_write",
      instructions: resource.instructions ?? null,
      name: store.name,
      description: store.description,
      mount_path: `${MEMORY_MOUNT_ROOT}/${name}`,
    };
  });
}
