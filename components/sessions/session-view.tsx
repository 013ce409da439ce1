"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TBudget } from "@/lib/event-log/usage";
import { announcementsBetween } from "@/lib/sessions/ui/announce";
import type { TConnection, TStreamingPreview } from "@/lib/sessions/ui/live-session";
import type { TSessionTab } from "@/lib/sessions/ui/session-tab";
import { pendingActions, pendingKeys } from "@/lib/sessions/ui/pending-actions";
import { queuedMessageKeys } from "@/lib/sessions/ui/queued-messages";
import type { TShareLink } from "@/lib/share/share-link-to-wire";
import type { TTimelineEvent, TTimelineState } from "@/lib/timeline/fold-timeline";
import { laneTimeline } from "@/lib/timeline/lanes";
import { ShareLinksPanel, type TShareLinksPanelProps } from "@/components/replay/share-links-panel";
import { describeStatus } from "@/components/timeline/format";
import type { TForkAction } from "@/components/timeline/fork-button";
import { SandboxChip } from "@/components/timeline/sandbox-chip";
import type { THandInput } from "@/lib/timeline/fold-hands";
import { HandsList } from "./hands-list";
import { SessionWaterfall } from "@/components/timeline/session-waterfall";
import { ThreadLanes } from "@/components/timeline/thread-lanes";
import { UsageSummary } from "@/components/timeline/usage-summary";
import { BudgetBar } from "./budget-bar";
import { Composer, type TInterruptAction, type TSendMessageAction } from "./composer";
import { NeedsPersonBanner, NotifyToggle } from "./needs-person-banner";
import { PresenceList } from "./presence-list";
import { SessionManage, type TSessionManageActions } from "./session-manage";
import { SessionStatusBadge } from "./status-badge";
import { panelId, SessionTabs, tabId, useSessionTab } from "./session-tabs";
import { WorkspacePanel } from "./workspace-panel";
import { SessionTimeline } from "./session-timeline";
import { LiveToolOutputProvider } from "@/components/timeline/live-tool-output";
import { ActorNamesProvider } from "@/components/timeline/actor-names";
import { NO_ACTOR_NAMES, type TActorNames } from "@/lib/timeline/actor-label";
import type { TConfirmToolAction, TCustomToolResultAction } from "./tool-actions";
import { useAttentionNotification } from "./use-attention-notification";
import { useAttentionTitle } from "./use-attention-title";
import { useFillViewport } from "./use-fill-viewport";
import { useLiveSession } from "./use-live-session";

export type TSessionViewProps = {
  /** `budget`: as the session was loaded; `session.updated` events that change it follow live. */
  session: { id: string; title: string | null; createdAt: string; archived: boolean; budget?: TBudget | null };
  agentName: string | null;
  model: string | null;
  initialEvents: TTimelineEvent[];
  viewer: { id: string; name: string };
  shareLinks: TShareLink[];
  /** Who sent the client events, by id: the timeline names them (a member's view only). */
  actorNames?: TActorNames;
  actions: {
    send: TSendMessageAction;
    interrupt: TInterruptAction;
    confirm: TConfirmToolAction;
    customResult: TCustomToolResultAction;
    createShare: TShareLinksPanelProps["create"];
    revokeShare: TShareLinksPanelProps["revoke"];
    copyShare?: TShareLinksPanelProps["copy"];
    manage: TSessionManageActions;
    /** "Fork from here" on each event of the timeline. */
    fork?: TForkAction;
  };
  /** Set when this session is a fork: where it came from (`href` null once the original is gone). */
  forkedFrom?: { href: string | null; title: string | null; sessionId: string; eventSeq: number } | null;
  /** The tab the address asked for (`?tab=timeline`); the conversation when absent. */
  initialTab?: TSessionTab;
  /** A session of several environments: its hands, listed in the header (hands-list.tsx). */
  hands?: THandInput[] | null;
};

const CONNECTION: Record<TConnection, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-zinc-400" },
  live: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  not_found: { label: "Not available", dot: "bg-red-500" },
  deleted: { label: "Deleted", dot: "bg-red-500" },
};

const COMPOSER_ID = "session-message";
const NO_PREVIEWS: readonly TStreamingPreview[] = [];
const focusComposer = () => document.getElementById(COMPOSER_ID)?.focus();

/**
 * A session as its team sees it, live, shaped like a chat: a compact header (status, who is
 * watching, usage, sharing), then the conversation filling the window down to the message box,
 * which stays in view at its foot. Archiving and deleting come after, below the fold.
 */
export function SessionView({ session, agentName, model, initialEvents, viewer, shareLinks, actorNames = NO_ACTOR_NAMES, actions, forkedFrom, initialTab = "conversation", hands = null }: TSessionViewProps) {
  const [tab, setTab] = useSessionTab(initialTab);
  const live = useLiveSession({ sessionId: session.id, initialEvents, model });
  const { timeline, previews, toolOutputs, presence, connection } = live;
  const state = timeline.session;
  const status = session.archived ? "terminated" : state.status;
  const pending = useMemo(() => pendingActions(timeline), [timeline]);
  const pendingByKey = useMemo(() => pendingKeys(pending), [pending]);
  const queued = useMemo(() => queuedMessageKeys(timeline), [timeline]);
  const title = timeline.title ?? session.title;
  // a multi-agent session: the conversation of one thread (its lane), or of all (null)
  const [lane, setLane] = useState<string | null>(null);
  const shown = useMemo(() => laneTimeline(timeline, lane), [timeline, lane]);

  const gone = connection === "deleted" ? "This session was deleted." : session.archived || status === "terminated" ? "This session is archived: it accepts no new messages." : null;
  const running = status === "running" || status === "rescheduling";

  const announcement = useAnnouncement(timeline, agentName);
  const [shareOpen, setShareOpen] = useState(false);
  // whoever just sent something wants to see what comes of it: back to the newest events
  const [followSignal, setFollowSignal] = useState(0);
  const follow = useCallback(() => setFollowSignal((n) => n + 1), []);
  const onAnswered = useCallback(() => {
    follow();
    focusComposer();
  }, [follow]);
  // what waits for a person is answered in the conversation
  const showWaiting = useCallback(() => {
    setTab("conversation");
    follow();
  }, [setTab, follow]);
  const chat = useRef<HTMLDivElement>(null);
  const height = useFillViewport(chat);
  // what waits for a person, said outside the timeline too: a banner, the tab, a notification
  const waiting = useMemo(() => (gone === null ? pending : []), [gone, pending]);
  useAttentionTitle(waiting.length);
  const notification = useAttentionNotification(session.id, waiting);

  return (
    <div className="flex flex-col gap-6">
      <div ref={chat} style={height === null ? undefined : { height }} className="flex h-[calc(100dvh-15rem)] min-h-[28rem] flex-col gap-3" data-testid="session-chat">
        <header className="flex shrink-0 flex-col gap-2 rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-2">
            <div className="flex min-w-0 flex-col">
              <h2 className="truncate text-lg font-semibold" data-testid="session-title">
                {title || "Untitled session"}
              </h2>
              <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
                {agentName ?? "Agent"}
                {model ? <span className="font-mono text-xs"> · {model}</span> : null} · <span className="font-mono text-xs">{session.id}</span>
              </p>
              {forkedFrom ? <ForkedFrom origin={forkedFrom} /> : null}
              <HandsList hands={hands} fold={live.hands} />
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <span role="status" className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400" data-testid="connection" data-connection={connection}>
                <span aria-hidden="true" className={`size-2 rounded-full ${CONNECTION[connection].dot}`} />
                {CONNECTION[connection].label}
              </span>
              <SandboxChip sandbox={timeline.sandbox} />
              <span data-testid="session-status">
                <SessionStatusBadge status={status} label={status === "idle" ? describeStatus(status, state.stopReason) : undefined} />
              </span>
            </div>
          </div>
          <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-t border-zinc-200 pt-2 dark:border-zinc-800">
            <PresenceList viewers={presence.viewers} selfId={viewer.id} />
            {/* a phone keeps its height for the conversation */}
            <div className="hidden flex-wrap items-center gap-x-4 gap-y-1 sm:flex">
              <UsageSummary usage={state.usage} costUsd={timeline.costUsd} />
              <BudgetBar usage={state.usage} budget={timeline.budgetUpdate ? timeline.budgetUpdate.budget : (session.budget ?? null)} />
            </div>
            <NotifyToggle notification={notification} />
            <button
              type="button"
              aria-expanded={shareOpen}
              aria-controls="share-panel"
              onClick={() => setShareOpen((open) => !open)}
              className="rounded-lg px-2.5 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-zinc-800"
            >
              {shareOpen ? "Hide sharing" : "Share…"}
            </button>
          </div>
        </header>

        <div id="share-panel" hidden={!shareOpen} className="max-h-[50%] shrink-0 overflow-y-auto rounded-xl border border-zinc-200 bg-white px-5 py-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <ShareLinksPanel links={shareLinks} create={actions.createShare} revoke={actions.revokeShare} copy={actions.copyShare} />
        </div>

        {connection === "deleted" ? (
          <p role="alert" className="shrink-0 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300" data-testid="session-deleted">
            This session was deleted by a member of the team: what is shown is all there was. It is gone from the list, and its share links no longer open.
          </p>
        ) : null}

        {connection === "not_found" ? (
          <p role="alert" className="shrink-0 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
            Live updates are not available for this session: it may have been deleted, or you are no longer a member of its team. Reload the page to check.
          </p>
        ) : null}

        <NeedsPersonBanner pending={waiting} confirmAction={actions.confirm} customResultAction={actions.customResult} onAnswered={onAnswered} onShow={showWaiting} />

        <ThreadLanes timeline={timeline} coordinatorName={agentName} lane={lane} onLane={setLane} />

        <SessionTabs tab={tab} onChange={setTab} />
        <div role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)} className="flex min-h-0 flex-1 flex-col">
          {tab === "timeline" ? (
            <SessionWaterfall timeline={timeline} running={running} />
          ) : tab === "files" ? (
            <WorkspacePanel />
          ) : (
            <ActorNamesProvider names={actorNames}>
              <LiveToolOutputProvider outputs={toolOutputs}>
                <SessionTimeline
                  timeline={shown}
                  // what the model is writing does not say which thread writes it: shown with everyone's
                  previews={lane === null ? previews : NO_PREVIEWS}
                  agentName={agentName}
                  pending={pendingByKey}
                  queued={queued}
                  canAct={gone === null}
                  confirmAction={actions.confirm}
                  customResultAction={actions.customResult}
                  onAnswered={onAnswered}
                  followSignal={followSignal}
                  forkAction={actions.fork}
                  empty={
                    <p className="rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
                      {lane === null ? "Nothing has happened yet. Send a message to start the agent." : "Nothing has happened in this thread yet."}
                    </p>
                  }
                />
              </LiveToolOutputProvider>
            </ActorNamesProvider>
          )}
        </div>

        <Composer id={COMPOSER_ID} running={running} disabledReason={gone} sendAction={actions.send} interruptAction={actions.interrupt} onSent={follow} />
      </div>

      {connection === "deleted" ? null : <SessionManage archived={session.archived} actions={actions.manage} />}

      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}

/** "Forked from <original> at event #N", linking back to the original while it exists. */
function ForkedFrom({ origin }: { origin: NonNullable<TSessionViewProps["forkedFrom"]> }) {
  const name = origin.title || origin.sessionId;
  return (
    <p className="truncate text-xs text-zinc-600 dark:text-zinc-400" data-testid="forked-from">
      Forked from{" "}
      {origin.href ? (
        <a href={origin.href} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
          {name}
        </a>
      ) : (
        <span>{name} (deleted)</span>
      )}{" "}
      at event #{origin.eventSeq}
    </p>
  );
}

/** The newest items worth hearing, for the live region (nothing for the log loaded with the page). */
function useAnnouncement(timeline: TTimelineState, agentName: string | null): string {
  const previous = useRef(timeline);
  const [text, setText] = useState("");
  useEffect(() => {
    const lines = announcementsBetween(previous.current, timeline, agentName);
    previous.current = timeline;
    if (lines.length > 0) setText(lines.slice(-3).join(" "));
  }, [timeline, agentName]);
  return text;
}
