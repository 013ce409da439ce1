import { HAND_STATE_LABELS, handViews, type THandInput, type THandsFold, type THandState } from "@/lib/timeline/fold-hands";

const DOTS: Record<THandState, string> = {
  idle: "bg-zinc-400",
  provisioning: "bg-amber-500 animate-pulse",
  ready: "bg-emerald-500",
  failed: "bg-red-500",
  replaced: "bg-zinc-400",
  waiting_for_worker: "bg-amber-500 animate-pulse",
};

/**
 * The hands of a session of several environments (README, "Several hands per session"): each
 * environment, whether it is the platform's (cloud) or the team's workers (self-hosted), its state
 * as the log says (fold-hands.ts) and how many built-in calls went to it. Nothing for a session of
 * one environment: its sandbox chip says it all.
 */
export function HandsList({ hands, fold }: { hands: readonly THandInput[] | null; fold: THandsFold }) {
  if (!hands || hands.length < 2) return null;
  return (
    <ul aria-label="Hands" data-testid="hands" className="flex flex-wrap items-center gap-2 text-xs">
      {handViews(hands, fold).map((hand) => (
        <li
          key={hand.id}
          data-testid="hand"
          data-environment-id={hand.id}
          data-hand-state={hand.state}
          className="inline-flex items-center gap-1.5 rounded-full bg-zinc-100 px-2 py-0.5 text-zinc-700 ring-1 ring-inset ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
        >
          <span aria-hidden="true" className={`size-1.5 rounded-full ${DOTS[hand.state]}`} />
          <span className="font-medium">{hand.label}</span>
          <span>
            · {hand.kind === "self_hosted" ? "self-hosted" : "cloud"}
            {hand.primary ? ", primary" : ""} · {HAND_STATE_LABELS[hand.state]} · {hand.calls} {hand.calls === 1 ? "call" : "calls"}
          </span>
        </li>
      ))}
    </ul>
  );
}
