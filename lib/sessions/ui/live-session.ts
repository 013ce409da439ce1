import type { TPreview, TToolOutputPreview } from "@/lib/realtime/event-bus";
import { EMPTY_HANDS_FOLD, foldHandEvents, type THandsFold } from "@/lib/timeline/fold-hands";
import type { TViewer } from "@/lib/realtime/session-protocol";
import { foldTimeline, INITIAL_TIMELINE, type TTimelineEvent, type TTimelineState } from "@/lib/timeline/fold-timeline";

/**
 * What the live session view holds, as a pure reducer: the timeline folded from the log (each seq
 * once, whatever order and overlap the batches arrive in), the model's answer streaming in as
 * token previews until its stored events arrive, who is watching, and the connection.
 */

/** Text the model is producing, shown until the stored events that supersede it arrive. */
export type TStreamingPreview = {
  id: string;
  type: "agent.message" | "agent.thinking";
  text: string;
  /** Joined mid-answer: the start of the text was produced before this viewer was listening. */
  partial: boolean;
};

/** A running command's output as it streams, shown until its stored result arrives. */
export type TLiveToolOutput = { stdout: string; stderr: string; truncated: boolean };

export type TConnection = "connecting" | "live" | "reconnecting" | "not_found" | "deleted";

export type TPresence = { version: number; viewers: readonly TViewer[] };

export type TLiveSession = {
  timeline: TTimelineState;
  /** The session's model: prices the usage (see foldTimeline). */
  model: string | null;
  previews: readonly TStreamingPreview[];
  /** Previews already superseded: their late deltas are dropped, not shown again. */
  endedPreviews: readonly string[];
  /** Tool use id → the live output of the command it runs (only while it runs). */
  toolOutputs: Readonly<Record<string, TLiveToolOutput>>;
  presence: TPresence;
  connection: TConnection;
  /** Where the session's built-in calls ran and its sandboxes stand, per environment (fold-hands.ts). */
  hands: THandsFold;
};

export type TLiveAction =
  | { type: "events"; events: readonly TTimelineEvent[] }
  | { type: "preview"; preview: TPreview }
  | { type: "presence"; viewers: readonly TViewer[]; version: number }
  | { type: "connection"; connection: TConnection };

/** Committed events of these types supersede the previews of the model's answer. */
const ENDS_PREVIEWS: ReadonlySet<string> = new Set(["agent.message", "agent.thinking", "span.model_request_end", "session.status_idle", "session.error", "user.interrupt"]);
/** How many superseded preview ids are remembered. */
const ENDED_KEPT = 200;

export function initialLiveSession(events: readonly TTimelineEvent[], options: { model?: string | null } = {}): TLiveSession {
  const model = options.model ?? null;
  return {
    timeline: mergeEvents(INITIAL_TIMELINE, events, model),
    model,
    previews: [],
    endedPreviews: [],
    toolOutputs: {},
    presence: { version: -1, viewers: [] },
    connection: "connecting",
    hands: foldHandEvents(EMPTY_HANDS_FOLD, events),
  };
}

/** The seq to join with: everything up to it is held. */
export function lastSeqOf(state: TLiveSession): number {
  return state.timeline.session.lastSeq;
}

/** Folds a batch into the timeline: sorted by seq, anything already held (or repeated) skipped. */
export function mergeEvents(timeline: TTimelineState, events: readonly TTimelineEvent[], model: string | null): TTimelineState {
  if (events.length === 0) return timeline;
  const sorted = isSorted(events) ? events : [...events].sort((a, b) => a.seq - b.seq);
  return foldTimeline(timeline, sorted, { model });
}

function isSorted(events: readonly TTimelineEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i]!.seq < events[i - 1]!.seq) return false;
  return true;
}

function endPreviews(state: TLiveSession): Pick<TLiveSession, "previews" | "endedPreviews"> {
  if (state.previews.length === 0) return { previews: state.previews, endedPreviews: state.endedPreviews };
  return { previews: [], endedPreviews: [...state.endedPreviews, ...state.previews.map((p) => p.id)].slice(-ENDED_KEPT) };
}

/** Whether the tool call is known to be over (answered, interrupted, denied): its live output is done. */
function callEnded(timeline: TTimelineState, toolUseId: string): boolean {
  const index = timeline.itemOfEventId.get(toolUseId);
  const item = index === undefined ? undefined : timeline.items[index];
  return item?.kind === "tool_call" && item.state !== "running";
}

/** Drops the live output of calls that ended: their stored result replaces it. */
function endToolOutputs(state: TLiveSession, timeline: TTimelineState): TLiveSession["toolOutputs"] {
  const ids = Object.keys(state.toolOutputs);
  if (ids.length === 0 || ids.every((id) => !callEnded(timeline, id))) return state.toolOutputs;
  return Object.fromEntries(Object.entries(state.toolOutputs).filter(([id]) => !callEnded(timeline, id)));
}

function applyToolOutput(state: TLiveSession, preview: TToolOutputPreview): TLiveSession {
  if (callEnded(state.timeline, preview.tool_use_id)) return state; // late: the result is here
  const current = state.toolOutputs[preview.tool_use_id] ?? { stdout: "", stderr: "", truncated: false };
  const next = { ...current, [preview.stream]: current[preview.stream] + preview.text, truncated: current.truncated || preview.truncated === true };
  return { ...state, toolOutputs: { ...state.toolOutputs, [preview.tool_use_id]: next } };
}

export function applyPreview(state: TLiveSession, preview: TPreview): TLiveSession {
  if (state.connection === "deleted") return state;
  if (preview.type === "tool_output") return applyToolOutput(state, preview);
  if (preview.type === "event_start") {
    const { id, type } = preview.event;
    if (state.endedPreviews.includes(id)) return state;
    return { ...state, previews: [...state.previews.filter((p) => p.id !== id), { id, type, text: "", partial: false }] };
  }
  const id = preview.event_id;
  if (state.endedPreviews.includes(id)) return state;
  const text = preview.delta.content.text;
  const index = state.previews.findIndex((p) => p.id === id);
  if (index === -1) return { ...state, previews: [...state.previews, { id, type: "agent.message", text, partial: true }] };
  const previews = state.previews.slice();
  previews[index] = { ...previews[index]!, text: previews[index]!.text + text };
  return { ...state, previews };
}

export function liveSessionReducer(state: TLiveSession, action: TLiveAction): TLiveSession {
  switch (action.type) {
    case "events": {
      const timeline = mergeEvents(state.timeline, action.events, state.model);
      if (timeline === state.timeline) return state;
      const ends = action.events.some((event) => ENDS_PREVIEWS.has(event.type));
      return { ...state, timeline, hands: foldHandEvents(state.hands, action.events), toolOutputs: endToolOutputs(state, timeline), ...(ends ? endPreviews(state) : {}) };
    }
    case "preview":
      return applyPreview(state, action.preview);
    case "presence":
      // presence updates may cross between servers: the highest version is the latest
      if (action.version < state.presence.version) return state;
      return { ...state, presence: { version: action.version, viewers: action.viewers } };
    case "connection": {
      if (state.connection === action.connection || state.connection === "deleted") return state;
      // deltas sent while the connection was down are lost: what streams afterwards is partial
      const live = action.connection === "live" || action.connection === "connecting";
      return { ...state, connection: action.connection, ...(live ? {} : { previews: [], toolOutputs: {}, presence: { version: state.presence.version, viewers: [] } }) };
    }
  }
}
