import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId, newId } from "@/lib/ids";
import { withLockedMemoryStore } from "@/lib/memory-stores/find-team-memory-store";
import { parseWith } from "@/lib/resource/parse";
import { clockOf, type TDreamDeps } from "./dream-deps";
import { isFinalStatus } from "./dream-status";
import { dreamToWire, ZERO_DREAM_USAGE } from "./dream-to-wire";
import { readDreamViews } from "./read-dream-views";
import { ZDreamCreateSchema } from "./schemas";

/**
 * `POST /v1/dreams`: checks what the request names and records a `pending` dream; a worker's dream
 * runner starts it (start-dream.ts), at once when this process runs one (`onDream`).
 *
 * - the memory store and every session must be the team's: another team's id, an unknown one and a
 *   malformed one are the same 404, naming the field (`inputs[0].memory_store_id`,
 *   `inputs[1].session_ids[2]`); an archived store is a 400;
 * - `update_existing` must name the input store (400 `output_behavior.memory_store_id`), and is a
 *   409 `conflict_error` (SDK `BetaTargetStoreHeldErrorObject`, `x-should-retry: false`) while
 *   another `update_existing` dream on that store has not fully stopped: it is pending or running,
 *   or canceled with its session still running. The check and the insert run holding the store's
 *   row lock (`withLockedMemoryStore`), so two such requests at once cannot both pass it.
 */
export async function createDream(deps: TDreamDeps, options: { teamId: string; body: unknown }) {
  const input = parseWith(ZDreamCreateSchema, options.body);
  const storeIndex = input.inputs.findIndex((i) => i.type === "memory_store");
  const storeInput = input.inputs[storeIndex] as { memory_store_id: string };
  const sessionsIndex = input.inputs.findIndex((i) => i.type === "sessions");
  const sessionIds = (input.inputs[sessionsIndex] as { session_ids: string[] }).session_ids;
  const storePath = `inputs[${storeIndex}].memory_store_id`;

  const store = isId("memoryStore", storeInput.memory_store_id)
    ? await deps.prisma.memoryStore.findFirst({ where: { id: storeInput.memory_store_id, teamId: options.teamId }, select: { id: true, archivedAt: true } })
    : null;
  if (!store) throw new AppError("not_found", `${storePath}: memory store ${storeInput.memory_store_id.slice(0, 128)} not found`, { path: storePath });
  if (store.archivedAt) throw new AppError("invalid_request", `${storePath}: memory store ${store.id} is archived`, { path: storePath });

  const found = await deps.prisma.session.findMany({
    where: { id: { in: sessionIds.filter((id) => isId("session", id)) }, teamId: options.teamId },
    select: { id: true },
  });
  sessionIds.forEach((id, j) => {
    const path = `inputs[${sessionsIndex}].session_ids[${j}]`;
    if (!found.some((s) => s.id === id)) throw new AppError("not_found", `${path}: session ${id.slice(0, 128)} not found`, { path });
  });

  const behavior = input.output_behavior ?? { type: "create_new" as const };
  if (behavior.type === "update_existing" && behavior.memory_store_id !== store.id) {
    throw new AppError("invalid_request", "output_behavior.memory_store_id: must be the memory store of the memory_store entry of inputs", {
      path: "output_behavior.memory_store_id",
    });
  }

  const now = clockOf(deps);
  const data = {
    id: newId("dream", now.getTime()),
    teamId: options.teamId,
    memoryStoreId: store.id,
    sessionIds: [...sessionIds].sort(),
    outputBehavior: behavior.type,
    instructions: input.instructions ?? null,
    model: { id: typeof input.model === "string" ? input.model : input.model.id, speed: "standard" } as Prisma.InputJsonValue,
    createdAt: now,
    updatedAt: now,
  };
  const dream =
    behavior.type === "update_existing"
      ? await withLockedMemoryStore(deps.prisma, { teamId: options.teamId, storeId: store.id, writable: true }, async (tx) => {
          await assertStoreNotHeld(tx, options.teamId, store.id);
          return tx.dream.create({ data });
        })
      : await deps.prisma.dream.create({ data });
  deps.onDream?.();
  return dreamToWire(dream, { state: { status: "pending", endedAt: null, error: null }, sessionExists: false, usage: ZERO_DREAM_USAGE });
}

/** 409 when another `update_existing` dream on the store has not fully stopped (see createDream). */
async function assertStoreNotHeld(tx: Prisma.TransactionClient, teamId: string, storeId: string): Promise<void> {
  const others = await tx.dream.findMany({ where: { teamId, memoryStoreId: storeId, outputBehavior: "update_existing", failedAt: null }, orderBy: { id: "desc" }, take: 50 });
  if (others.length === 0) return;
  const views = await readDreamViews(tx, others);
  const sessionIds = others.flatMap((d) => (d.sessionId ? [d.sessionId] : []));
  const live = new Set(
    (await tx.session.findMany({ where: { id: { in: sessionIds }, status: { in: ["running", "rescheduling"] } }, select: { id: true } })).map((s) => s.id),
  );
  const holder = others.find((d) => {
    const status = views.get(d.id)!.state.status;
    return !isFinalStatus(status) || (status === "canceled" && d.sessionId !== null && live.has(d.sessionId));
  });
  if (holder) {
    throw new AppError("conflict", `memory store ${storeId} is held by dream ${holder.id}, which writes into it and has not fully stopped: wait for it to end or cancel it, then retry`);
  }
}
