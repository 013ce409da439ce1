"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { ForkButton, type TForkAction } from "@/components/timeline/fork-button";
import { TimelineList } from "@/components/timeline/timeline-list";
import { describeStatus } from "@/components/timeline/format";
import { SandboxChip } from "@/components/timeline/sandbox-chip";
import { MessageText } from "@/components/timeline/message-text";
import { UsageSummary } from "@/components/timeline/usage-summary";
import type { TScrollRequest } from "@/components/timeline/windowed-list";
import type { TModelFamily } from "@/lib/timeline/estimate-cost";
import { itemIndexAtSeq, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { laneTimeline } from "@/lib/timeline/lanes";
import { ThreadLanes } from "@/components/timeline/thread-lanes";
import { PrefixFolder } from "@/lib/timeline/prefix-folder";
import { initialCursor, positionOfSeq, replayReducer, seqAtPosition, SPEEDS } from "@/lib/timeline/replay-cursor";
import { eventTimesMs, formatClock, formatTimeHash, parseReplayHash, positionAtTime, timeAtPosition, type TReplayHash } from "@/lib/timeline/replay-time";
import { LinkInvalid } from "./link-invalid";
import { ReplayControls } from "./replay-controls";
import { useReplayPages } from "./use-replay-pages";
import { useShareLive, type TLiveStatus } from "./use-share-live";
import { usePlayback } from "./use-playback";

export type TReplayPlayerProps = {
  token: string;
  sessionId: string;
  title: string | null;
  agentName: string | null;
  modelFamily: TModelFamily | null;
  /** The log's first page, inline in the page; the rest is fetched in pages (see use-replay-pages.ts). */
  initialEvents: TTimelineEvent[];
  hasMore: boolean;
  /** For a signed-in member of the session's team only: "Fork from here" at the player's position. */
  fork?: TForkAction;
};

/** How far Shift+←/→ moves, in the session's time. */
const JUMP_MS = 10_000;

/**
 * The address follows the player when it is paused or moved (`#t=<seconds from the start>`; none
 * at the start), replacing the current history entry: no entry per step.
 */
function writeHash(ms: number | null): void {
  const url = ms === null ? window.location.pathname + window.location.search : formatTimeHash(ms);
  if (url === window.location.hash) return;
  window.history.replaceState(window.history.state, "", url);
}

/** Whether a key belongs to the focused control rather than the player: a field being typed in, a list. The scrubber leaves every key to the player. */
function ownsKey(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement && target.type === "range") return false;
  return target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName);
}

/**
 * The read-only player of a shared session: the log folded up to a position that plays (idle
 * gaps skipped), steps, scrubs in time and jumps (`#t=<seconds>` links to a moment, `#e-<seq>` to
 * an event), and follows the session live while the link stays valid. It opens at the start.
 */
export function ReplayPlayer({ token, sessionId, title, agentName, modelFamily, initialEvents, hasMore, fork }: TReplayPlayerProps) {
  const [cursor, dispatch] = useReducer(replayReducer, initialEvents, (events) => initialCursor(events));
  usePlayback(cursor, dispatch);
  const { events, position } = cursor;

  const [fullFolder] = useState(() => new PrefixFolder({ model: modelFamily }));
  const [cursorFolder] = useState(() => new PrefixFolder({ model: modelFamily }));
  const full = useMemo(() => fullFolder.at(events, events.length), [fullFolder, events]);
  const current = useMemo(() => (position === events.length ? full : cursorFolder.at(events, position)), [cursorFolder, events, position, full]);
  // a multi-agent session plays one thread (its lane), or all (null), as the session page shows them
  const [lane, setLane] = useState<string | null>(null);
  const fullShown = useMemo(() => laneTimeline(full, lane), [full, lane]);
  const currentShown = useMemo(() => laneTimeline(current, lane), [current, lane]);
  const seq = seqAtPosition(events, position);
  const times = useMemo(() => eventTimesMs(events), [events]);
  const timesRef = useRef(times);
  timesRef.current = times;
  const [announcement, setAnnouncement] = useState("");
  const currentIndex = position === 0 ? -1 : itemIndexAtSeq(currentShown, seq);

  // ── live ──
  const eventsRef = useRef(events);
  eventsRef.current = events;
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const lastSeq = useCallback(() => eventsRef.current.at(-1)?.seq ?? 0, []);
  const onEvents = useCallback((incoming: TTimelineEvent[]) => dispatch({ type: "append", events: incoming }), []);
  // the rest of the log first, then live from its end (a join earlier would send the same events again)
  const pages = useReplayPages({ token, hasMore, lastSeq, onEvents });
  const live = useShareLive({ token, sessionId, enabled: pages === "done" && full.session.status !== "terminated", lastSeq, onEvents });

  // ── scrolling and jumps ──
  const [scrollRequest, setScrollRequest] = useState<TScrollRequest | null>(null);
  const nonce = useRef(0);
  /** Brings an item into view; index -1 (before the first event) is the top of the list. */
  const scrollTo = useCallback((index: number, align: TScrollRequest["align"]) => {
    setScrollRequest(index < 0 ? { index: 0, align: "start", nonce: ++nonce.current } : { index, align, nonce: ++nonce.current });
  }, []);
  const fullRef = useRef(fullShown);
  fullRef.current = fullShown;
  /** The hash for a position: the time of its last event; none at the start. */
  const hashAt = useCallback((next: number) => (next > 0 ? timeAtPosition(timesRef.current, next) : null), []);
  const onJumped = useCallback((next: number) => writeHash(hashAt(next)), [hashAt]);
  /** A jump to a moment not loaded yet (a deep link into a later page): made again as pages land. */
  const pendingJump = useRef<TReplayHash | null>(null);
  const loadingRef = useRef(pages === "loading");
  loadingRef.current = pages === "loading";
  const jumpTo = useCallback(
    (target: TReplayHash) => {
      const held = eventsRef.current;
      let next: number;
      if (target.kind === "seq") {
        dispatch({ type: "seek_seq", seq: target.seq });
        next = positionOfSeq(held, target.seq);
        pendingJump.current = loadingRef.current && (held.at(-1)?.seq ?? 0) < target.seq ? target : null;
      } else {
        next = positionAtTime(timesRef.current, target.ms);
        dispatch({ type: "pause" });
        dispatch({ type: "seek", position: next });
        pendingJump.current = loadingRef.current && (timesRef.current.at(-1) ?? 0) < target.ms ? target : null;
      }
      if (target.kind === "seq") writeHash(hashAt(next));
      scrollTo(next === 0 ? -1 : itemIndexAtSeq(fullRef.current, seqAtPosition(held, next)), "center");
    },
    [scrollTo, hashAt],
  );
  const jumpToSeq = useCallback((target: number) => jumpTo({ kind: "seq", seq: target }), [jumpTo]);
  useEffect(() => {
    const target = pendingJump.current;
    const reached = target && (target.kind === "seq" ? (events.at(-1)?.seq ?? 0) >= target.seq : (times.at(-1) ?? 0) >= target.ms);
    if (target !== null && (reached || pages !== "loading")) jumpTo(target);
    if (pages !== "loading") pendingJump.current = null;
  }, [events, times, pages, jumpTo]);
  // pausing puts the moment in the address
  const wasPlaying = useRef(cursor.playing);
  useEffect(() => {
    if (wasPlaying.current && !cursor.playing) onJumped(cursor.position);
    wasPlaying.current = cursor.playing;
  }, [cursor.playing, cursor.position, onJumped]);

  // the item at the position stays in view — unless the reader scrolled away from a live session's end
  const atBottom = useRef(true);
  const onScrolled = useCallback((scrolled: { atBottom: boolean }) => {
    atBottom.current = scrolled.atBottom;
  }, []);
  const lastScrolled = useRef<{ index: number; length: number } | null>(null);
  useEffect(() => {
    const last = lastScrolled.current;
    lastScrolled.current = { index: currentIndex, length: events.length };
    if (last && last.index === currentIndex) return;
    const followedLive = last !== null && events.length > last.length && position === events.length;
    if (followedLive && !atBottom.current) return;
    scrollTo(currentIndex, last === null ? "end" : "nearest");
  }, [currentIndex, events.length, position, scrollTo]);

  // a deep link positions the player at its event, on load and whenever the hash changes (after
  // the effect above, so that its scroll request is the one that counts)
  useEffect(() => {
    const fromHash = () => {
      const target = parseReplayHash(window.location.hash);
      if (target) jumpTo(target);
    };
    fromHash();
    window.addEventListener("hashchange", fromHash);
    return () => window.removeEventListener("hashchange", fromHash);
  }, [jumpTo]);

  /** What the player says (politely, to assistive technology) after a key or a control moved it. */
  const describeAt = useCallback((next: number) => {
    if (next === 0) return "At the start";
    const at = formatClock(timeAtPosition(timesRef.current, next));
    return `Event #${seqAtPosition(eventsRef.current, next)} at ${at}${next === eventsRef.current.length ? ", the latest" : ""}`;
  }, []);
  const onMoved = useCallback(
    (next: number) => {
      onJumped(next);
      setAnnouncement(describeAt(next));
    },
    [onJumped, describeAt],
  );

  // keyboard: space plays and pauses, the arrows step an event (with Shift: 10 s), Home and End go
  // to either end, 1–5 pick a speed and + / - change it; not while typing in a field
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || ownsKey(event.target)) return;
      const onButton = event.target instanceof HTMLElement && (event.target.tagName === "BUTTON" || event.target.tagName === "A" || event.target.tagName === "SUMMARY");
      const { position: from, playing, speed } = cursorRef.current;
      const end = eventsRef.current.length;
      const times = timesRef.current;
      let next: number | null = null;
      let said: string | null = null;
      const speedIndex = Number(event.key) - 1;
      if (Number.isInteger(speedIndex) && speedIndex >= 0 && speedIndex < SPEEDS.length && !event.shiftKey) {
        dispatch({ type: "speed", speed: SPEEDS[speedIndex]! });
        said = `Speed ${SPEEDS[speedIndex]}×`;
      } else {
        switch (event.key) {
          case " ":
            if (onButton) return; // the button's own action
            dispatch({ type: "toggle" });
            said = playing ? `Paused. ${describeAt(from)}` : `Playing at ${speed}×`;
            break;
          case "ArrowRight":
            next = event.shiftKey ? positionAtTime(times, timeAtPosition(times, from) + JUMP_MS) : Math.min(end, from + 1);
            dispatch(event.shiftKey ? { type: "seek", position: next } : { type: "step", by: 1 });
            break;
          case "ArrowLeft":
            next = event.shiftKey ? (from === 0 ? 0 : positionAtTime(times, timeAtPosition(times, from) - JUMP_MS)) : Math.max(0, from - 1);
            dispatch(event.shiftKey ? { type: "seek", position: next } : { type: "step", by: -1 });
            break;
          case "Home":
            next = 0;
            dispatch({ type: "seek", position: 0 });
            break;
          case "End":
            next = end;
            dispatch({ type: "seek", position: end });
            break;
          case "+":
          case "=":
          case "-":
          case "_": {
            const by = event.key === "+" || event.key === "=" ? 1 : -1;
            const index = Math.max(0, Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + by));
            dispatch({ type: "speed_by", by });
            said = `Speed ${SPEEDS[index]}×`;
            break;
          }
          default:
            return;
        }
      }
      event.preventDefault();
      if (next !== null) onMoved(next);
      if (said !== null) setAnnouncement(said);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onMoved, describeAt]);

  if (live.status === "revoked" || pages === "revoked") return <LinkInvalid revokedWhileWatching />;

  // the session as of the position (the live badge says what it is now)
  const status = current.session;
  const behind = events.length - position;
  const writing = position === events.length && lane === null ? live.previews.filter((p) => p.type === "agent.message" && p.text.length > 0) : [];

  return (
    <div className="flex h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-4xl flex-col gap-3 px-4 py-4 sm:px-6">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="flex min-w-0 flex-col gap-1">
              <p className="flex items-center gap-2 text-sm font-medium text-brand-700 dark:text-brand-300">
                <span aria-hidden="true" className="inline-block size-2.5 rounded-full bg-brand-500" />
                Shared session replay · read-only
              </p>
              <h1 className="truncate text-xl font-semibold tracking-tight">{full.title ?? title ?? "Untitled session"}</h1>
              {agentName ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Agent: {agentName}</p> : null}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-300 ring-inset dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700">
                {describeStatus(status.status, status.stopReason)}
              </span>
              <SandboxChip sandbox={current.sandbox} />
              <LiveBadge status={live.status} running={full.session.status === "running"} ended={full.session.status === "terminated"} />
            </div>
          </div>
          <UsageSummary usage={current.session.usage} costUsd={current.costUsd} />
          <ThreadLanes timeline={current} coordinatorName={agentName} lane={lane} onLane={setLane} />
        </div>
      </header>

      <main id="main" className="mx-auto flex min-h-0 w-full max-w-4xl flex-1 flex-col">
        {events.length === 0 ? (
          <p className="px-6 py-16 text-center text-zinc-600 dark:text-zinc-400">Nothing has happened in this session yet. New events will appear here as they come.</p>
        ) : (
          <TimelineList
            full={fullShown}
            current={currentShown}
            currentIndex={currentIndex}
            agentName={agentName}
            onJump={jumpToSeq}
            scrollRequest={scrollRequest}
            onScrolled={onScrolled}
            className="min-h-0 flex-1 pt-4"
            footer={
              writing.length > 0 ? (
                <div className="px-4 pb-4 sm:px-6" aria-live="off">
                  {writing.map((preview) => (
                    <div key={preview.id} className="flex flex-col gap-2 rounded-xl border border-dashed border-zinc-300 bg-white px-4 py-3 dark:border-zinc-700 dark:bg-zinc-900">
                      <span className="text-sm font-semibold">{agentName ?? "Agent"} is writing…</span>
                      <MessageText text={preview.text} />
                    </div>
                  ))}
                </div>
              ) : null
            }
          />
        )}
      </main>

      <footer className="border-t border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-4xl flex-col gap-2 px-4 py-3 sm:px-6">
          <ReplayControls cursor={cursor} times={times} dispatch={dispatch} onJumped={onMoved} onSpeed={(speed) => setAnnouncement(`Speed ${speed}×`)} />
          <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="replay-announcer">
            {announcement}
          </p>
          <p className="flex flex-wrap items-center justify-between gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            <span data-testid="replay-position">
              {position === 0 ? "At the start" : `Event #${seq}`}
              <span className="hidden sm:inline"> · space plays or pauses, ← → step, Shift+← → 10 s, 1–5 or + − speed</span>
            </span>
            {fork && position > 0 ? <ForkButton action={fork} eventId={events[position - 1]!.id} seq={seq} /> : null}
            {pages === "loading" ? (
              <span role="status" className="inline-flex items-center gap-1.5" data-testid="replay-loading">
                <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-brand-500" />
                Loading the rest of the log… {events.length.toLocaleString("en")} events so far
              </span>
            ) : null}
            {behind > 0 ? (
              <button
                type="button"
                onClick={() => {
                  dispatch({ type: "seek", position: events.length });
                  onJumped(events.length);
                }}
                className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-zinc-800"
              >
                Go to latest ({behind} {behind === 1 ? "event" : "events"} ahead)
              </button>
            ) : null}
          </p>
        </div>
      </footer>
    </div>
  );
}

function LiveBadge({ status, running, ended }: { status: TLiveStatus; running: boolean; ended: boolean }) {
  const [label, tone] = ended
    ? ["Session ended", "neutral"]
    : status === "live"
      ? running
        ? ["Live", "live"]
        : ["Up to date", "neutral"]
      : status === "connecting"
        ? ["Connecting…", "neutral"]
        : ["Reconnecting…", "warn"];
  const classes =
    tone === "live"
      ? "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800"
      : tone === "warn"
        ? "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800"
        : "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700";
  return (
    <span role="status" className={`flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${classes}`}>
      {tone === "live" ? <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-emerald-500" /> : null}
      {label}
    </span>
  );
}
