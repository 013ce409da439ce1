import { describe, expect, it } from "vitest";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { sendWorkerResults } from "@/lib/environments/work/send-worker-results";
import { visibleToWorker } from "@/lib/environments/work/visible-to-worker";
import { parseAgentConfig } from "@/lib/harness/agent-config";
import { responseEvents } from "@/lib/harness/call-model";
import { planNextStep } from "@/lib/harness/plan-next-step";
import { readLog } from "@/lib/harness/read-log";
import type { TSessionHand } from "@/lib/harness/session-hands";
import { assertToolEnvironments } from "@/lib/sessions/additional-environments";
import { foldHandEvents, handViews, EMPTY_HANDS_FOLD } from "@/lib/timeline/fold-hands";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";

/** Several hands per session: routing of built-in calls by the toolset's `environment`, and what each side sees. */
const CLOUD = "env_cloud";
const LAPTOP = "env_laptop";
const hands: TSessionHand[] = [
  { id: CLOUD, name: null, primary: true, byWorkers: false },
  { id: LAPTOP, name: "laptop", primary: false, byWorkers: true },
];
const agent = parseAgentConfig({ model: "m", tools: [{ type: "agent_toolset_20260401", configs: [{ name: "bash", environment: "laptop" }] }] });
const usage = { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
const response = (...names: string[]) => ({
  content: names.map((name, i) => ({ type: "tool_use" as const, id: `toolu_${i}`, name, input: { command: "x", file_path: "/workspace/f" } })),
  stopReason: "tool_use",
  usage,
});
const logOf = (...bodies: TEventBody[]): TStoredEvent[] =>
  bodies.map((body, i) => ({ id: `sevt_${i + 1}`, sessionId: "sesn_x", seq: i + 1, processedAt: null, createdAt: "2026-01-01T00:00:00.000Z", body }));

describe("routing a session's built-in calls to its environments", () => {
  it("names on each built-in tool use the environment its tool is routed to, only in a session of several", () => {
    const routed = responseEvents(response("bash", "read"), agent, [], hands);
    expect(routed.map((e) => (e as { environment_id?: string }).environment_id)).toEqual([LAPTOP, CLOUD]);
    // by id as well as by name; a session of one environment: no field, the wire as before
    const byId = parseAgentConfig({ model: "m", tools: [{ type: "agent_toolset_20260401", default_config: { environment: LAPTOP } }] });
    expect(responseEvents(response("read"), byId, [], hands).map((e) => (e as { environment_id?: string }).environment_id)).toEqual([LAPTOP]);
    expect(responseEvents(response("bash"), agent, [], [hands[0]!])[0]).not.toHaveProperty("environment_id");
  });

  it("runs a call routed to a cloud environment and waits for the workers of a self-hosted one, asking for a worker there", () => {
    const [bash, read] = responseEvents(response("bash", "read"), agent, [], hands);
    const start = { type: "span.model_request_start" } as TEventBody;
    const end = { type: "span.model_request_end", model_request_start_id: "sevt_3", is_error: false, model_usage: usage } as TEventBody;
    const log = logOf({ type: "user.message", content: [{ type: "text", text: "go" }] }, { type: "session.status_running" }, start, read!, bash!, end);
    // the cloud call (read) first, in the harness's sandbox
    expect(planNextStep(readLog(log), { hands })).toMatchObject({ type: "run_tool", toolUse: { name: "read" } });
    const answered = logOf(...log.map((e) => e.body), { type: "agent.tool_result", tool_use_id: "sevt_4", content: [], environment_id: CLOUD });
    const idle = planNextStep(readLog(answered), { hands });
    expect(idle).toEqual({ type: "append", events: [{ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: ["sevt_5"] }, stop_details: null }] });
    const waiting = logOf(...answered.map((e) => e.body), ...(idle as { events: TEventBody[] }).events);
    expect(planNextStep(readLog(waiting), { hands })).toEqual({ type: "wait", requestsWorkers: [LAPTOP] });
  });

  it("shows a worker only its environment's calls, and refuses (403) its result for another's, stamping its own", async () => {
    const store = new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() });
    const session = await store.createSession({ teamId: "team_x", agentId: "agent_x", agentVersion: 1, agentSnapshot: {}, environmentId: CLOUD, additionalEnvironments: [{ environment_id: LAPTOP, name: "laptop" }] });
    const [bash, read] = responseEvents(response("bash", "read"), agent, [], hands);
    const { events } = await store.appendEvents(session.id, [bash!, read!]);
    const [bashUse, readUse] = events;
    expect(events.filter(visibleToWorker(LAPTOP)).map((e) => e.id)).toEqual([bashUse!.id]);
    expect(events.filter(visibleToWorker(CLOUD)).map((e) => e.id)).toEqual([readUse!.id]);
    const work = { teamId: "team_x", environmentId: LAPTOP, workId: "work_x", sessionId: session.id };
    const result = (id: string, extra = {}) => ({ events: [{ type: "user.tool_result", tool_use_id: id, content: [{ type: "text", text: "ok" }], ...extra }] });
    await expect(sendWorkerResults({ store }, { work, body: result(readUse!.id) })).rejects.toMatchObject({ code: "forbidden" });
    expect((await store.getEvents(session.id)).length).toBe(2);
    const sent = await sendWorkerResults({ store }, { work, body: result(bashUse!.id, { environment_id: CLOUD }) });
    expect(sent.data[0]).toMatchObject({ type: "user.tool_result", tool_use_id: bashUse!.id, environment_id: LAPTOP });
  });

  it("refuses a session whose agent's toolset names an environment it does not have, naming the field", () => {
    const snapshot = { tools: [{ type: "agent_toolset_20260401", default_config: { environment: "laptop" }, configs: [{ name: "bash", environment: "gpu" }] }] };
    expect(() => assertToolEnvironments(snapshot, { environmentId: CLOUD, additionalEnvironments: [] })).toThrow(/agent\.tools\[0\]\.default_config\.environment/);
    expect(() => assertToolEnvironments(snapshot, { environmentId: CLOUD, additionalEnvironments: [{ environment_id: LAPTOP, name: "laptop" }] })).toThrow(/agent\.tools\[0\]\.configs\[0\]\.environment: .*"gpu"/);
    expect(() =>
      assertToolEnvironments(snapshot, { environmentId: CLOUD, additionalEnvironments: [{ environment_id: LAPTOP, name: "laptop" }, { environment_id: "env_gpu", name: "gpu" }] }),
    ).not.toThrow();
  });
});

describe("the session page's hands, a fold of the log", () => {
  const inputs = [
    { id: CLOUD, label: "cloud", kind: "cloud" as const, primary: true },
    { id: LAPTOP, label: "laptop", kind: "self_hosted" as const, primary: false },
  ];
  const ev = (seq: number, body: Record<string, unknown>) => ({ id: `sevt_${seq}`, seq, processed_at: null, ...body }) as unknown as TTimelineEvent;

  it("says each environment's state and calls, as the events arrive, each seq once", () => {
    let fold = foldHandEvents(EMPTY_HANDS_FOLD, []);
    expect(handViews(inputs, fold).map((h) => h.state)).toEqual(["idle", "idle"]);
    fold = foldHandEvents(fold, [
      ev(1, { type: "agent.tool_use", name: "bash", input: {}, environment_id: LAPTOP }),
      ev(2, { type: "agent.tool_use", name: "read", input: {}, environment_id: CLOUD }),
      ev(3, { type: "span.sandbox_status", status: "provisioning", provider: "local", sandbox_id: null, reason: null, duration_ms: null }),
    ]);
    expect(handViews(inputs, fold).map((h) => [h.state, h.calls])).toEqual([
      ["provisioning", 1],
      ["waiting_for_worker", 1],
    ]);
    // a batch seen again changes nothing
    expect(foldHandEvents(fold, [ev(1, { type: "agent.tool_use", name: "bash", input: {}, environment_id: LAPTOP })])).toBe(fold);
    fold = foldHandEvents(fold, [
      ev(4, { type: "span.sandbox_status", status: "ready", provider: "local", sandbox_id: "sbx", reason: null, duration_ms: 5 }),
      ev(5, { type: "user.tool_result", tool_use_id: "sevt_1", environment_id: LAPTOP }),
    ]);
    expect(handViews(inputs, fold).map((h) => h.state)).toEqual(["ready", "idle"]);
  });
});
