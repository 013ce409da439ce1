import type { Dream } from "@/lib/generated/prisma/client";
import type { TDreamState } from "./dream-status";

/** The tokens of the dream's session (its usage fold), zero before it exists. */
export type TDreamUsage = { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };

export const ZERO_DREAM_USAGE: TDreamUsage = Object.freeze({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });

/** What a read learned about the dream besides its row: its folded state, its session (if it exists) and that session's usage. */
export type TDreamView = { state: TDreamState; sessionExists: boolean; usage: TDreamUsage };

type TDreamRow = Pick<
  Dream,
  "id" | "memoryStoreId" | "sessionIds" | "outputBehavior" | "outputStoreId" | "instructions" | "model" | "sessionId" | "archivedAt" | "createdAt"
>;

/**
 * The Dream object (SDK 1.17 `BetaDream`). `inputs` are given back in the request's shape (session
 * ids sorted); `model` always as an object; `outputs` empty until the job recorded its output store;
 * `session_id` null until the session exists.
 */
export function dreamToWire(dream: TDreamRow, view: TDreamView) {
  const model = dream.model as { id: string; speed?: string };
  return {
    id: dream.id,
    type: "dream" as const,
    status: view.state.status,
    inputs: [
      { type: "memory_store" as const, memory_store_id: dream.memoryStoreId },
      { type: "sessions" as const, session_ids: [...dream.sessionIds].sort() },
    ],
    instructions: dream.instructions,
    model: { id: model.id, speed: "standard" as const },
    output_behavior:
      dream.outputBehavior === "update_existing" ? { type: "update_existing" as const, memory_store_id: dream.memoryStoreId } : { type: "create_new" as const },
    outputs: dream.outputStoreId ? [{ type: "memory_store" as const, memory_store_id: dream.outputStoreId }] : [],
    session_id: view.sessionExists ? dream.sessionId : null,
    error: view.state.status === "failed" ? view.state.error : null,
    usage: { ...view.usage },
    created_at: dream.createdAt.toISOString(),
    ended_at: view.state.endedAt?.toISOString() ?? null,
    archived_at: dream.archivedAt?.toISOString() ?? null,
  };
}

export type TWireDream = ReturnType<typeof dreamToWire>;
