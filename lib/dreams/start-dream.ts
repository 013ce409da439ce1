import "server-only";
import type { Dream } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { appendMemoryVersion } from "@/lib/memory-stores/append-memory-version";
import { MEMORY_MOUNT_ROOT } from "@/lib/sandbox/types";
import { memoryMountName } from "@/lib/sessions/session-memory-stores";
import { newResourceId } from "@/lib/sessions/session-repositories";
import { interruptDreamSession } from "./cancel-dream";
import { dreamAgentSnapshot, DREAM_AGENT_ID } from "./dream-agent";
import { clockOf, type TDreamDeps } from "./dream-deps";
import { dreamEnvironmentId } from "./dream-environment";
import { dreamTranscript, TRANSCRIPT_EVENT_TYPES } from "./dream-transcript";

/** How many messages of each input session a transcript reads at most (its most recent ones). */
const TRANSCRIPT_EVENTS_MAX = 2_000;

/**
 * Starts a claimed dream: records its output store, creates its session and sends the session its
 * first message; the harness runs it from there and the dream's status follows the session's log.
 *
 * Every step can be redone, so a worker that dies anywhere leaves a job the next claim finishes
 * (run-pending-dreams.ts reclaims it after CLAIM_TTL_MS) without doing anything twice:
 * 1. the output store: `create_new` makes a new store holding a copy of the input store's memories
 *    (each a `created` version written by the dream's session) and records it on the dream, all in
 *    one transaction; `update_existing` records the input store itself;
 * 2. the session, with the id chosen at claim (`Dream.sessionId`): created unless it exists, with
 *    the platform's dream agent (dream-agent.ts), the team's dream environment
 *    (dream-environment.ts) and the output store mounted read-write at /mnt/memory/<name>;
 * 3. its first message (the input sessions' transcripts, dream-transcript.ts), appended under an
 *    idempotency key, which wakes the harness; then `startedAt`.
 * A cancel that lands meanwhile is honoured before the session is created and after (an interrupt).
 * A failure records `failedAt` and the error (`dream_start_error`), which makes the dream `failed`.
 */
export async function startDream(deps: TDreamDeps, claimed: Dream): Promise<void> {
  const sessionId = claimed.sessionId!;
  try {
    const input = await deps.prisma.memoryStore.findFirst({ where: { id: claimed.memoryStoreId, teamId: claimed.teamId } });
    if (!input) return await fail(deps, claimed, "memory_store_not_found", `memory store ${claimed.memoryStoreId} no longer exists`);
    const output = await recordOutputStore(deps, claimed, input, sessionId);

    if (await canceled(deps, claimed.id)) return;
    if (!(await deps.store.getSession(sessionId))) {
      const sessions = await deps.prisma.session.findMany({ where: { id: { in: claimed.sessionIds }, teamId: claimed.teamId }, select: { id: true, title: true } });
      const transcripts = [];
      for (const session of sessions) {
        const events = await deps.store.getEvents(session.id, { types: TRANSCRIPT_EVENT_TYPES, limit: TRANSCRIPT_EVENTS_MAX, order: "desc" });
        transcripts.push({ id: session.id, title: session.title, events: [...events].reverse() });
      }
      const text = dreamTranscript(transcripts);
      await deps.store.createSession({
        id: sessionId,
        teamId: claimed.teamId,
        agentId: DREAM_AGENT_ID,
        agentVersion: 1,
        agentSnapshot: dreamAgentSnapshot({ model: claimed.model as { id: string }, instructions: claimed.instructions }),
        environmentId: await dreamEnvironmentId(deps.prisma, claimed.teamId),
        title: `Dream ${claimed.id}`,
        metadata: { dream_id: claimed.id },
        resources: [
          {
            id: newResourceId(),
            type: "memory_store",
            memory_store_id: output.id,
            access: "read_write",
            instructions: null,
            name: output.name,
            description: output.description,
            mount_path: `${MEMORY_MOUNT_ROOT}/${memoryMountName(output.name, output.id, new Set())}`,
          },
        ],
      });
      await deps.store.appendEvents(sessionId, [{ type: "user.message", content: [{ type: "text", text }] }], { wake: true, idempotencyKey: `dream-start:${claimed.id}` });
      deps.onWake?.();
    }
    await deps.prisma.dream.updateMany({ where: { id: claimed.id, startedAt: null }, data: { startedAt: clockOf(deps) } });
    if (await canceled(deps, claimed.id)) await interruptDreamSession(deps, sessionId);
  } catch (error) {
    log.error("dream start failed", { dreamId: claimed.id, error: error instanceof Error ? error.message : String(error) });
    // a session that exists was started (by this claim, or by another that took it over): not a failure
    if (await deps.store.getSession(sessionId).catch(() => null)) return;
    await fail(deps, claimed, "dream_start_error", "the dream's session could not be started");
  }
}

/** The store the dream writes, recorded on the dream once (see startDream, step 1). */
async function recordOutputStore(deps: TDreamDeps, dream: Dream, input: { id: string; name: string; description: string }, sessionId: string) {
  const recorded = await deps.prisma.dream.findUniqueOrThrow({ where: { id: dream.id }, select: { outputStoreId: true } });
  if (recorded.outputStoreId) return deps.prisma.memoryStore.findUniqueOrThrow({ where: { id: recorded.outputStoreId } });
  if (dream.outputBehavior === "update_existing") {
    await deps.prisma.dream.updateMany({ where: { id: dream.id, outputStoreId: null }, data: { outputStoreId: input.id } });
    return deps.prisma.memoryStore.findUniqueOrThrow({ where: { id: input.id } });
  }
  const memories = await deps.prisma.memory.findMany({ where: { storeId: input.id }, include: { currentVersion: true }, orderBy: { path: "asc" } });
  return deps.prisma.$transaction(async (tx) => {
    const store = await tx.memoryStore.create({
      data: {
        id: newId("memoryStore"),
        teamId: dream.teamId,
        name: `${input.name.slice(0, 230)} (dreamed)`,
        description: `Written by dream ${dream.id} from memory store ${input.id}.`.slice(0, 1024),
        metadata: { dream_id: dream.id, source_memory_store_id: input.id },
      },
    });
    for (const memory of memories) {
      const memoryId = newId("memory");
      const version = await appendMemoryVersion(tx, {
        storeId: store.id,
        memoryId,
        operation: "created",
        path: memory.path,
        content: memory.currentVersion.content ?? "",
        actor: { type: "session_actor", id: sessionId },
      });
      await tx.memory.create({ data: { id: memoryId, storeId: store.id, path: memory.path, currentVersionId: version.id } });
    }
    const moved = await tx.dream.updateMany({ where: { id: dream.id, outputStoreId: null }, data: { outputStoreId: store.id } });
    if (moved.count === 0) throw new Error("the dream's output store was recorded meanwhile");
    return store;
  });
}

const canceled = async (deps: TDreamDeps, dreamId: string) => (await deps.prisma.dream.findUniqueOrThrow({ where: { id: dreamId }, select: { canceledAt: true } })).canceledAt !== null;

async function fail(deps: TDreamDeps, dream: Dream, type: string, message: string): Promise<void> {
  await deps.prisma.dream.updateMany({ where: { id: dream.id, failedAt: null, startedAt: null }, data: { failedAt: clockOf(deps), error: { type, message } } });
}
