import type { TTimelineEvent } from "./fold-timeline";

/**
 * The "Hands" of a session of several environments (README, "Several hands per session"), as the
 * session page lists them: each environment with its state, a fold of the log alone (so the live
 * view and a reload agree). A cloud environment's state is its sandbox's as last reported
 * (`span.sandbox_status`, by `environment_id`, none for the primary): idle before its first call.
 * A self-hosted one waits for a worker while a call routed to it has no result, and is idle
 * otherwise. Folded step by step (`foldHandEvents`), each seq once, as the live session receives events.
 */
export type THandInput = { id: string; label: string; kind: "cloud" | "self_hosted"; primary: boolean };
export type THandState = "idle" | "provisioning" | "ready" | "failed" | "replaced" | "waiting_for_worker";
export type THandView = THandInput & { state: THandState; calls: number };

/** Keyed by environment id, "" for the primary (its events name none in a session of one environment). */
export type THandsFold = { lastSeq: number; pending: Record<string, string>; sandbox: Record<string, THandState>; calls: Record<string, number> };

export const EMPTY_HANDS_FOLD: THandsFold = { lastSeq: 0, pending: {}, sandbox: {}, calls: {} };

export function foldHandEvents(fold: THandsFold, events: readonly TTimelineEvent[]): THandsFold {
  let next: THandsFold | null = null;
  for (const event of events) {
    if (event.seq <= (next ?? fold).lastSeq) continue;
    const draft = (next ??= { lastSeq: fold.lastSeq, pending: { ...fold.pending }, sandbox: { ...fold.sandbox }, calls: { ...fold.calls } });
    draft.lastSeq = event.seq;
    switch (event.type) {
      case "agent.tool_use": {
        const where = event.environment_id ?? "";
        draft.pending[event.id] = where;
        draft.calls[where] = (draft.calls[where] ?? 0) + 1;
        break;
      }
      case "agent.tool_result":
      case "user.tool_result":
        delete draft.pending[event.tool_use_id];
        break;
      case "span.sandbox_status":
        draft.sandbox[event.environment_id ?? ""] = event.status;
        break;
    }
  }
  return next ?? fold;
}

/** Each hand's state from the fold; `primaryId` reads the events that name no environment. */
export function handViews(hands: readonly THandInput[], fold: THandsFold): THandView[] {
  return hands.map((hand) => {
    const key = (id: string) => (id === "" ? (hands.find((h) => h.primary)?.id ?? "") : id);
    const calls = Object.entries(fold.calls).reduce((n, [where, count]) => (key(where) === hand.id ? n + count : n), 0);
    if (hand.kind === "self_hosted") {
      const waiting = Object.values(fold.pending).some((where) => key(where) === hand.id);
      return { ...hand, calls, state: waiting ? "waiting_for_worker" : "idle" };
    }
    const reported = fold.sandbox[hand.id] ?? (hand.primary ? fold.sandbox[""] : undefined);
    return { ...hand, calls, state: reported ?? "idle" };
  });
}

export const HAND_STATE_LABELS: Record<THandState, string> = {
  idle: "idle",
  provisioning: "provisioning…",
  ready: "sandbox ready",
  failed: "sandbox failed",
  replaced: "replaced (a new sandbox on the next call)",
  waiting_for_worker: "waiting for a worker",
};
