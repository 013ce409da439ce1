"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { TStreamingPreview } from "@/lib/sessions/ui/live-session";
import type { TPendingAction } from "@/lib/sessions/ui/pending-actions";
import { itemIndexAtSeq, type TTimelineItem, type TTimelineState, type TToolCallItem } from "@/lib/timeline/fold-timeline";
import { forkPointOf } from "@/lib/timeline/fork-point";
import { agentNameOfItem } from "@/lib/timeline/lanes";
import { ForkButton, type TForkAction } from "@/components/timeline/fork-button";
import { estimateItemHeight, timelineItemKey, useToggledKeys } from "@/components/timeline/item-layout";
import { MessageText } from "@/components/timeline/message-text";
import { useLiveToolOutputSize } from "@/components/timeline/live-tool-output";
import { TimelineItem } from "@/components/timeline/timeline-item";
import { WindowedList, type TScrollRequest } from "@/components/timeline/windowed-list";
import { ConfirmToolCall, CustomToolResultForm, type TConfirmToolAction, type TCustomToolResultAction } from "./tool-actions";
import { useDrafts } from "./use-drafts";

type TProps = {
  timeline: TTimelineState;
  previews: readonly TStreamingPreview[];
  agentName: string | null;
  /** Calls waiting for a person, by the call's key. */
  pending: ReadonlyMap<string, TPendingAction["kind"]>;
  /** User messages waiting for the running turn's next step. */
  queued: ReadonlySet<string>;
  /** Whether the actions of pending calls can be used (false once the session is gone). */
  canAct: boolean;
  confirmAction: TConfirmToolAction;
  customResultAction: TCustomToolResultAction;
  /** Called once a call is answered (its form goes away): where keyboard focus should go next. */
  onAnswered(): void;
  /** Each new value brings the list back to its end and follows it again (e.g. after sending). */
  followSignal: number;
  empty: ReactNode;
  /** "Fork from here" on each item (a new session up to its last event); absent: no such button. */
  forkAction?: TForkAction;
};

/** How close to the bottom (in pixels) still counts as following the newest events. */
const FOLLOW_SLACK_PX = 64;
/** How long an item jumped to stays highlighted. */
const HIGHLIGHT_MS = 2_500;

/**
 * The live timeline: the shared timeline items in a windowed list, each pending call with its
 * approve/deny or result form under it, queued messages marked, and the answer the model is
 * writing at the end. The list follows the newest events while scrolled to the bottom; scrolled
 * up, it stays put and offers a way back down.
 */
export function SessionTimeline({ timeline, previews, agentName, pending, queued, canAct, confirmAction, customResultAction, onAnswered, followSignal, empty, forkAction }: TProps) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const [toggled, onToggle] = useToggledKeys();
  const [scrollRequest, setScrollRequest] = useState<TScrollRequest | null>(null);
  const [highlight, setHighlight] = useState(-1);
  const drafts = useDrafts();

  /** The list's scrolling element. */
  const region = useCallback(() => wrapperRef.current?.querySelector<HTMLElement>('[role="region"]') ?? null, []);
  const toBottom = useCallback(() => {
    const el = region();
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    following.current = true;
    setUnseen(false);
  }, [region]);

  // Follow the bottom while the reader is there, on every change of the content's size. Only a
  // person scrolling (wheel, touch, keys, the scroll bar) stops following: the list's own
  // corrections of its scroll position while it measures items must not. A click in an item (opening
  // a call, "show all") stops following too: the reader is reading what they opened, and follows
  // again once back at the bottom, or on sending, or from the "new events" pill.
  useEffect(() => {
    const el = region();
    if (!el) return;
    let byPerson = false;
    let pressed = false;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const personScrolls = () => {
      byPerson = true;
      clearTimeout(settle);
      settle = setTimeout(() => (byPerson = pressed), 300);
    };
    const onPointerDown = (event: Event) => {
      pressed = true;
      if (event.target instanceof Element && event.target.closest("li")) following.current = false;
      personScrolls();
    };
    // the end of a press that began in the list (dragging its scroll bar may end anywhere); a
    // click elsewhere (the "new events" pill, say) says nothing about who scrolls the list
    const onPointerUp = () => {
      if (!pressed) return;
      pressed = false;
      personScrolls();
    };
    const onScroll = () => {
      const bottom = el.scrollTop + el.clientHeight >= el.scrollHeight - FOLLOW_SLACK_PX;
      if (byPerson) {
        following.current = bottom;
      } else if (following.current && el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
        // the list moved itself (it corrects its position as items get measured, without growing):
        // back to the end, which is what a follower reads
        el.scrollTop = el.scrollHeight;
      }
      if (bottom) {
        following.current = true;
        setUnseen(false);
      }
    };
    const listeners: Array<[string, EventListener]> = [
      ["scroll", onScroll],
      ["wheel", personScrolls],
      ["touchmove", personScrolls],
      ["keydown", personScrolls],
      ["pointerdown", onPointerDown],
    ];
    for (const [type, listener] of listeners) el.addEventListener(type, listener, { passive: true });
    window.addEventListener("pointerup", onPointerUp);
    const observer = new ResizeObserver(() => {
      if (following.current) el.scrollTop = el.scrollHeight;
    });
    for (const child of el.children) observer.observe(child);
    el.scrollTop = el.scrollHeight;
    return () => {
      for (const [type, listener] of listeners) el.removeEventListener(type, listener);
      window.removeEventListener("pointerup", onPointerUp);
      clearTimeout(settle);
      observer.disconnect();
    };
  }, [region]);

  useEffect(() => {
    if (followSignal > 0) toBottom();
  }, [followSignal, toBottom]);

  // something new arrived while the reader looks further up: offer the way down
  const liveOutput = useLiveToolOutputSize();
  const grown = timeline.items.length + liveOutput + previews.reduce((sum, preview) => sum + 1 + preview.text.length, 0);
  useEffect(() => {
    if (!following.current) setUnseen(true);
  }, [grown]);

  const onJump = useCallback(
    (seq: number) => {
      const index = itemIndexAtSeq(timeline, seq);
      if (index < 0) return;
      following.current = false;
      setHighlight(index);
      setScrollRequest({ index, align: "center", nonce: Date.now() });
    },
    [timeline],
  );
  // the item jumped to stays marked for a moment, so the eye finds it
  useEffect(() => {
    if (highlight < 0) return;
    const timer = setTimeout(() => setHighlight(-1), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight, scrollRequest]);

  const renderItem = useCallback(
    (item: TTimelineItem, index: number) => {
      const action = canAct ? pending.get(item.key) : undefined;
      // calls waiting for someone start open, so their input is in view next to the buttons
      const expanded = toggled.has(item.key) !== (action !== undefined);
      const forkAt = forkAction && item.kind !== "deleted" ? forkPointOf(timeline.items, index) : null;
      return (
        <div className="group relative" data-seq={item.seq} data-key={item.key} data-kind={item.kind} data-state={item.kind === "tool_call" ? item.state : undefined}>
          <TimelineItem item={item} place={index === highlight ? "current" : "past"} agentName={agentNameOfItem(timeline, item, agentName)} expanded={expanded} onToggle={onToggle} onJump={onJump} />
          {action === "confirm" ? <ConfirmToolCall call={item as TToolCallItem} action={confirmAction} drafts={drafts} onAnswered={onAnswered} /> : null}
          {action === "custom_result" ? <CustomToolResultForm call={item as TToolCallItem} action={customResultAction} drafts={drafts} onAnswered={onAnswered} /> : null}
          {queued.has(item.key) ? (
            <p className="mt-1 px-1 text-xs text-zinc-500 dark:text-zinc-400" data-testid="queued-note">
              Queued: the agent reads it at its next step.
            </p>
          ) : null}
          {forkAt ? (
            // on the item's lower edge, shown on hover or keyboard focus; on touch screens (no hover)
            // always shown, as a line of its own under the item
            <div className="absolute right-3 bottom-0 z-10 translate-y-1/2 rounded-md bg-white opacity-0 shadow-sm ring-1 ring-zinc-200 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 has-[[role=alert]]:opacity-100 dark:bg-zinc-900 dark:ring-zinc-700 [@media(hover:none)]:static [@media(hover:none)]:mt-1 [@media(hover:none)]:ml-auto [@media(hover:none)]:w-fit [@media(hover:none)]:translate-y-0 [@media(hover:none)]:bg-transparent [@media(hover:none)]:opacity-100 [@media(hover:none)]:shadow-none [@media(hover:none)]:ring-0">
              <ForkButton action={forkAction!} eventId={forkAt.id} seq={forkAt.seq} />
            </div>
          ) : null}
        </div>
      );
    },
    [canAct, pending, toggled, highlight, agentName, onToggle, onJump, confirmAction, customResultAction, drafts, onAnswered, queued, forkAction, timeline],
  );

  const footer = (
    <div className="flex flex-col gap-3 px-4 pb-4 sm:px-6">
      {timeline.items.length === 0 && previews.length === 0 ? empty : null}
      {previews.map((preview, i) =>
        preview.type === "agent.thinking" ? (
          <StreamingThought key={preview.id} preview={preview} current={i === previews.length - 1} />
        ) : (
          <StreamingMessage key={preview.id} preview={preview} agentName={agentName} />
        ),
      )}
    </div>
  );

  const waiting = canAct && pending.size > 0;
  return (
    <div ref={wrapperRef} className="relative min-h-0 flex-1">
      <WindowedList
        items={timeline.items}
        getKey={timelineItemKey}
        estimate={estimateItemHeight}
        renderItem={renderItem}
        scrollRequest={scrollRequest}
        footer={footer}
        label="Session timeline"
        className="h-full overscroll-y-contain rounded-xl border border-zinc-200 bg-zinc-50/60 pt-4 dark:border-zinc-800 dark:bg-zinc-950/40"
      />
      {unseen ? (
        <button
          type="button"
          onClick={toBottom}
          className={`absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full px-3 py-1.5 text-xs font-medium shadow-md ${
            waiting ? "bg-amber-500 text-amber-950 hover:bg-amber-400" : "bg-brand-600 text-white hover:bg-brand-700"
          }`}
        >
          {waiting ? "Waiting for you below ↓" : "New events below ↓"}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The model's thinking as it streams, folded by default: a line saying it thinks, the thoughts
 * behind it for whoever opens them. The log keeps no thoughts, so they are gone once stored.
 */
function StreamingThought({ preview, current }: { preview: TStreamingPreview; current: boolean }) {
  const label = current ? "Thinking…" : "Thought";
  if (!preview.text) {
    return current ? <p className="px-1 text-sm text-zinc-500 italic dark:text-zinc-400">{label}</p> : null;
  }
  return (
    <details className="group px-1 text-sm text-zinc-500 dark:text-zinc-400" data-testid="streaming-thought">
      <summary className="cursor-pointer italic select-none">{label}</summary>
      <p className="mt-1 border-l-2 border-zinc-200 pl-3 whitespace-pre-wrap dark:border-zinc-800">{preview.text}</p>
    </details>
  );
}

/** The answer as the model writes it, token by token; replaced by the stored message when it lands. */
function StreamingMessage({ preview, agentName }: { preview: TStreamingPreview; agentName: string | null }) {
  return (
    <article
      aria-label={`${agentName ?? "Agent"} is writing`}
      aria-busy="true"
      data-testid="streaming-message"
      className="flex flex-col gap-2 rounded-xl border border-dashed border-brand-300 bg-white px-4 py-3 shadow-sm dark:border-zinc-700 dark:bg-zinc-900"
    >
      <header className="flex items-center gap-2 text-sm font-semibold">
        {agentName ?? "Agent"}
        <span className="inline-flex items-center gap-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">
          <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-brand-500" />
          writing…
        </span>
      </header>
      {preview.text ? <MessageText text={`${preview.partial ? "…" : ""}${preview.text}`} /> : <span className="text-sm text-zinc-400">…</span>}
    </article>
  );
}
