import { describe, expect, it } from "vitest";
import type { TPreview } from "@/lib/realtime/event-bus";
import { initialLiveSession, lastSeqOf, liveSessionReducer, type TLiveAction, type TLiveSession } from "@/lib/sessions/ui/live-session";
import { timelineOf, type TTimelineItem } from "@/lib/timeline/fold-timeline";
import { blocksText } from "@/lib/timeline/timeline-blocks";
import { LogBuilder } from "./events";

const run = (state: TLiveSession, ...actions: TLiveAction[]) => actions.reduce(liveSessionReducer, state);
const start = (id: string, type: "agent.message" | "agent.thinking" = "agent.message"): TPreview => ({ type: "event_start", event: { type, id } });
const delta = (id: string, text: string): TPreview => ({ type: "event_delta", event_id: id, delta: { type: "content_delta", index: 0, content: { type: "text", text } } });
const texts = (items: readonly TTimelineItem[]) => items.flatMap((item) => ("blocks" in item ? [blocksText(item.blocks)] : []));

describe("the live session's log", () => {
  const log = new LogBuilder();
  log.turn("hello", "Hi there.");
  log.turn("how are you?", "Fine, thanks.");
  log.turn("bye", "Goodbye.");
  const all = log.events;
  const expected = timelineOf(all, { model: "claude-sonnet-4-5" });

  it("folds the page's events, then live batches, into the timeline the whole log gives", () => {
    const state = run(initialLiveSession(all.slice(0, 6), { model: "claude-sonnet-4-5" }), { type: "events", events: all.slice(6, 10) }, { type: "events", events: all.slice(10) });
    expect(state.timeline.items).toEqual(expected.items);
    expect(state.timeline.session).toEqual(expected.session);
    expect(state.timeline.costUsd).toBeCloseTo(expected.costUsd!);
    expect(lastSeqOf(state)).toBe(all.length);
  });

  it("keeps each seq once when a rejoin sends again what it already had", () => {
    // the connection drops after seq 8; the rejoin (afterSeq 8) races a batch of the old join
    const state = run(
      initialLiveSession(all.slice(0, 5)),
      { type: "events", events: all.slice(5, 8) },
      { type: "connection", connection: "reconnecting" },
      { type: "events", events: all.slice(6, 12) },
      { type: "events", events: all.slice(8) },
      { type: "events", events: all.slice(0, 3) },
    );
    expect(state.timeline.items.map((item) => item.seq)).toEqual(timelineOf(all).items.map((item) => item.seq));
    expect(texts(state.timeline.items)).toEqual(["hello", "Hi there.", "how are you?", "Fine, thanks.", "bye", "Goodbye."]);
    expect(state.timeline.eventCount).toBe(all.length);
  });

  it("sorts a batch that arrives out of order", () => {
    const shuffled = [all[3]!, all[1]!, all[2]!, all[0]!];
    const state = run(initialLiveSession([]), { type: "events", events: shuffled });
    expect(state.timeline.items).toEqual(timelineOf(all.slice(0, 4)).items);
  });

  it("hands back the same state when a batch brings nothing new", () => {
    const state = initialLiveSession(all);
    expect(liveSessionReducer(state, { type: "events", events: all.slice(2, 5) })).toBe(state);
  });
});

describe("the answer streaming in", () => {
  const log = new LogBuilder();
  log.userMessage("tell me a story");
  log.running();
  const request = log.requestStart();
  const base = initialLiveSession(log.events);
  const answer = log.agentMessage("Once upon a time.");
  const end = log.requestEnd(request);

  it("grows a bubble delta by delta until the stored message arrives, then drops it", () => {
    const streaming = run(base, { type: "preview", preview: start("p1") }, { type: "preview", preview: delta("p1", "Once upon") }, { type: "preview", preview: delta("p1", " a time.") });
    expect(streaming.previews).toEqual([{ id: "p1", type: "agent.message", text: "Once upon a time.", partial: false }]);
    const stored = run(streaming, { type: "events", events: [answer, end] });
    expect(stored.previews).toEqual([]);
    expect(texts(stored.timeline.items)).toEqual(["tell me a story", "Once upon a time."]);
  });

  it("ignores deltas of an answer already stored (they can arrive late)", () => {
    const state = run(base, { type: "preview", preview: start("p1") }, { type: "events", events: [answer, end] }, { type: "preview", preview: delta("p1", "late") }, { type: "preview", preview: start("p1") });
    expect(state.previews).toEqual([]);
  });

  it("shows an answer joined mid-way as partial", () => {
    const state = run(base, { type: "preview", preview: delta("p2", "middle of it") });
    expect(state.previews).toEqual([{ id: "p2", type: "agent.message", text: "middle of it", partial: true }]);
  });

  it("keeps a thinking preview and a message preview side by side", () => {
    const state = run(base, { type: "preview", preview: start("t1", "agent.thinking") }, { type: "preview", preview: start("m1") }, { type: "preview", preview: delta("m1", "Hi") });
    expect(state.previews.map((p) => [p.type, p.text])).toEqual([
      ["agent.thinking", ""],
      ["agent.message", "Hi"],
    ]);
  });

  it("drops what was streaming when the connection drops (the deltas in between are lost)", () => {
    const state = run(base, { type: "connection", connection: "live" }, { type: "preview", preview: start("p1") }, { type: "preview", preview: delta("p1", "Once") }, { type: "connection", connection: "reconnecting" });
    expect(state.previews).toEqual([]);
    expect(state.connection).toBe("reconnecting");
    // after the rejoin the same answer goes on, marked as joined mid-way
    const resumed = run(state, { type: "connection", connection: "live" }, { type: "preview", preview: delta("p1", " upon") });
    expect(resumed.previews).toEqual([{ id: "p1", type: "agent.message", text: " upon", partial: true }]);
  });

  it("ends the bubble when the turn is interrupted", () => {
    const interrupted = new LogBuilder();
    interrupted.userMessage("go");
    interrupted.running();
    interrupted.requestStart();
    const state = run(initialLiveSession(interrupted.events), { type: "preview", preview: start("p1") }, { type: "events", events: [interrupted.add({ type: "user.interrupt" })] });
    expect(state.previews).toEqual([]);
  });
});

describe("presence and the connection", () => {
  const ada = { id: "user_ada", name: "Ada" };
  const grace = { id: "user_grace", name: "Grace" };

  it("keeps the presence with the highest version, whatever order they arrive in", () => {
    const state = run(initialLiveSession([]), { type: "presence", viewers: [ada, grace], version: 20 }, { type: "presence", viewers: [ada], version: 10 });
    expect(state.presence).toEqual({ version: 20, viewers: [ada, grace] });
  });

  it("forgets who watches while disconnected, and takes the next presence after reconnecting", () => {
    const state = run(initialLiveSession([]), { type: "presence", viewers: [ada, grace], version: 20 }, { type: "connection", connection: "reconnecting" });
    expect(state.presence.viewers).toEqual([]);
    expect(run(state, { type: "presence", viewers: [grace], version: 21 }).presence.viewers).toEqual([grace]);
  });

  it("stays deleted once the session is deleted", () => {
    const state = run(initialLiveSession([]), { type: "connection", connection: "deleted" }, { type: "connection", connection: "live" }, { type: "preview", preview: start("p1") });
    expect(state.connection).toBe("deleted");
    expect(state.previews).toEqual([]);
  });
});

describe("a running command's live output", () => {
  const output = (toolUseId: string, stream: "stdout" | "stderr", text: string): TPreview => ({ type: "tool_output", tool_use_id: toolUseId, stream, text });

  it("gathers each stream of the running call until its stored result replaces it, and drops what comes late", () => {
    const log = new LogBuilder();
    log.userMessage("go");
    log.running();
    const use = log.add({ type: "agent.tool_use", id: "sevt_use_1", name: "bash", input: { command: "make" } } as never);
    let state = run(initialLiveSession(log.events), { type: "preview", preview: output(use.id, "stdout", "building\n") }, { type: "preview", preview: output(use.id, "stderr", "warning\n") }, { type: "preview", preview: output(use.id, "stdout", "linked\n") });
    expect(state.toolOutputs[use.id]).toEqual({ stdout: "building\nlinked\n", stderr: "warning\n", truncated: false });
    const result = log.add({ type: "agent.tool_result", tool_use_id: use.id, is_error: false, content: [{ type: "text", text: "building\nlinked\n[stderr]\nwarning" }] } as never);
    state = run(state, { type: "events", events: [result] });
    expect(state.toolOutputs).toEqual({});
    expect(run(state, { type: "preview", preview: output(use.id, "stdout", "late\n") }).toolOutputs).toEqual({});
  });
});
