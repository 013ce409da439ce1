import { describe, expect, it } from "vitest";
import type { TEventBody } from "@/lib/event-log/events";
import { foldThreads } from "@/lib/event-log/threads";
import { initialLiveSession, liveSessionReducer } from "@/lib/sessions/ui/live-session";
import { itemIndexAtSeq, PRIMARY_THREAD, timelineOf, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { agentNameOfItem, laneOfItem, lanesOf, laneTimeline } from "@/lib/timeline/lanes";

/**
 * The lanes of a multi-agent session: a coordinator ("lead") that starts a researcher and a
 * checker; the researcher answers and idles while the checker still runs a command.
 */
const SESSION = "sesn_lanes";
const A = "sthr_researcher";
const B = "sthr_checker";
const usage = (input: number) => ({ input_tokens: input, output_tokens: 10, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
const created = (id: string, name: string): TEventBody => ({ type: "session.thread_created", session_thread_id: id, agent_name: name, workflow_run_id: null, agent_id: `agent_${name}`, agent_version: 1, parent_thread_id: "sthr_lanes" });
const end = (start: string, nano: number, thread?: string): TEventBody => ({ type: "span.model_request_end", model_request_start_id: start, is_error: false, model_usage: usage(100), list_cost_nano_usd: nano, ...(thread ? { session_thread_id: thread } : {}) });

const BODIES: TEventBody[] = [
  { type: "user.message", content: [{ type: "text", text: "What is X?" }] },
  { type: "session.status_running" },
  { type: "span.model_request_start" },
  end("sevt_3", 1_000_000),
  { type: "agent.message", content: [{ type: "text", text: "Asking the team." }] },
  created(A, "researcher"),
  created(B, "checker"),
  { type: "session.thread_status_running", session_thread_id: A, agent_name: "researcher" },
  { type: "session.thread_status_running", session_thread_id: B, agent_name: "checker" },
  { type: "span.model_request_start", session_thread_id: A },
  end("sevt_10", 2_000_000, A),
  { type: "agent.message", content: [{ type: "text", text: "X is 42." }], session_thread_id: A },
  { type: "session.thread_status_idle", session_thread_id: A, agent_name: "researcher", stop_reason: { type: "end_turn" } },
  { type: "span.model_request_start", session_thread_id: B },
  end("sevt_14", 3_000_000, B),
  { type: "agent.tool_use", name: "bash", input: { command: "echo 42" }, session_thread_id: B },
];
const LOG: TTimelineEvent[] = BODIES.map((body, i) => ({ ...body, id: `sevt_${i + 1}`, seq: i + 1, processed_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }) as TTimelineEvent);

describe("the lanes of a multi-agent session", () => {
  const timeline = timelineOf(LOG);

  it("are the coordinator and one lane per thread, each with its status and its own cost", () => {
    expect(lanesOf(timeline, "lead").map(({ id, name, coordinator, status, costUsd }) => ({ id, name, coordinator, status, costUsd }))).toEqual([
      { id: PRIMARY_THREAD, name: "lead", coordinator: true, status: "running", costUsd: 0.001 },
      { id: A, name: "researcher", coordinator: false, status: "idle", costUsd: 0.002 },
      { id: B, name: "checker", coordinator: false, status: "running", costUsd: 0.003 },
    ]);
    expect(lanesOf(timeline, "lead")[1]!.stopReason).toEqual({ type: "end_turn" });
  });

  it("fold each thread's usage as the API's thread fold does", () => {
    const stored = LOG.map((e) => ({ seq: e.seq, body: e as TEventBody, createdAt: e.processed_at! }));
    const api = foldThreads(SESSION, stored);
    expect(lanesOf(timeline, null).map((lane) => lane.usage)).toEqual(api.map((thread) => thread.usage));
  });

  it("come out the same folded live, one event at a time, and leave earlier states as they were", () => {
    let live = initialLiveSession([]);
    const states = [];
    for (const event of LOG) {
      live = liveSessionReducer(live, { type: "events", events: [event] });
      states.push(live.timeline);
    }
    expect(lanesOf(live.timeline, "lead")).toEqual(lanesOf(timeline, "lead"));
    // after the researcher's answer it ran; the checker had not yet spent anything
    const before = states[11]!;
    expect(lanesOf(before, "lead").map((lane) => [lane.status, lane.costUsd])).toEqual([
      ["running", 0.001],
      ["running", 0.002],
      ["running", 0],
    ]);
  });

  it("show a thread created but not yet run as starting, not as an idle lane that spent nothing", () => {
    const justCreated = timelineOf(LOG.slice(0, 7));
    expect(lanesOf(justCreated, "lead").map((lane) => [lane.name, lane.status])).toEqual([
      ["lead", "running"],
      ["researcher", "starting"],
      ["checker", "starting"],
    ]);
    expect(lanesOf(timelineOf(LOG.slice(0, 8)), "lead")[1]!.status).toBe("running");
  });

  it("are none for a session of one agent", () => {
    expect(lanesOf(timelineOf(LOG.slice(0, 5)), "lead")).toEqual([]);
  });

  it("filter the timeline to one thread's items, its indexes renumbered, and back to all", () => {
    const researcher = laneTimeline(timeline, A);
    expect(researcher.items.map((item) => item.kind)).toEqual(["model_request", "agent_message"]);
    expect(researcher.items.every((item) => laneOfItem(timeline, item) === A)).toBe(true);
    expect(itemIndexAtSeq(researcher, 12)).toBe(1); // the answer
    expect(itemIndexAtSeq(researcher, 11)).toBe(0); // the request it completes

    const coordinator = laneTimeline(timeline, PRIMARY_THREAD);
    expect(coordinator.items.map((item) => item.kind)).toEqual(["user_message", "status", "model_request", "agent_message"]);
    expect(coordinator.itemOfEventId.get("sevt_3")).toBe(2);

    const checker = laneTimeline(timeline, B);
    expect(checker.items.map((item) => item.kind)).toEqual(["model_request", "tool_call"]);
    expect(checker.itemOfEventId.get("sevt_16")).toBe(1);

    expect(laneTimeline(timeline, null)).toBe(timeline);
    // each speaks as its own agent
    expect(researcher.items.filter((item) => item.kind === "agent_message").map((item) => agentNameOfItem(researcher, item, "lead"))).toEqual(["researcher"]);
    expect(coordinator.items.filter((item) => item.kind === "agent_message").map((item) => agentNameOfItem(coordinator, item, "lead"))).toEqual(["lead"]);
    // the lanes together hold every item once
    expect(researcher.items.length + coordinator.items.length + checker.items.length).toBe(timeline.items.length);
  });
});
