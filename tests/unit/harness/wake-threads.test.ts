import { describe, expect, it } from "vitest";
import type { TModelRequest } from "@/lib/model/types";
import { foldThreads, primaryThreadId, threadOf } from "@/lib/event-log/threads";
import { threadView } from "@/lib/harness/thread-view";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { until } from "@/tests/fixtures/wait";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

const researcher = {
  id: "agent_researcher",
  type: "agent",
  version: 3,
  name: "researcher",
  description: null,
  system: "research",
  model: { id: "claude-test-model" },
  tools: [{ type: "agent_toolset_20260401" }],
  mcp_servers: [],
  skills: [],
  execution_identity: { type: "service_account" },
};
const coordinator = { name: "lead", system: "coordinate", multiagent: { type: "coordinator", agents: [researcher] } };

const said = (request: TModelRequest) => JSON.stringify(request.messages);

/** The coordinator starts a researcher thread, waits for it, then answers with what it said. */
function responder(request: TModelRequest) {
  const system = request.system?.[0]?.text;
  if (system === "research") {
    if (said(request).includes("again")) return textTurn("Still 42.");
    return said(request).includes("tool_result") ? textTurn("X is 42.") : toolUseTurn("bash", { command: "echo 42" });
  }
  if (said(request).includes("Threads settled")) return textTurn("The researcher says X is 42.");
  if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
  return toolUseTurn("start_thread", { agent: "researcher", task: "Find X." });
}

describe("wake: a coordinator's threads", () => {
  it("runs a thread as a loop of its own, in the one log, and brings its answer back to the coordinator", async () => {
    const h = await harnessFixture({ script: responder, agent: coordinator, system: "coordinate" });
    await h.send(userMessage("What is X?"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const primary = primaryThreadId(h.sessionId);
    const created = ofType(events, "session.thread_created");
    expect(created).toHaveLength(1);
    const child = created[0]!.body.session_thread_id;
    expect(child).toMatch(/^sthr_/);
    expect(created[0]!.body).toMatchObject({ agent_name: "researcher", agent_id: "agent_researcher", agent_version: 3, parent_thread_id: primary, workflow_run_id: null });

    // the child's own loop: its status events, its model request, its tool call in the shared sandbox, all tagged
    const childTypes = events.filter((e) => threadOf(e.body, primary) === child).map((e) => e.body.type);
    expect(childTypes).toEqual([
      "session.thread_created",
      "agent.thread_message_received",
      "session.thread_status_running",
      "span.model_request_start",
      "agent.tool_use",
      "span.model_request_end",
      "span.tool_execution_start",
      "agent.tool_result",
      "span.model_request_start",
      "agent.message",
      "span.model_request_end",
      "session.thread_status_idle",
      "agent.thread_message_sent",
    ]);
    expect(h.provider.latest!.execCalls.map((c) => c.command)).toEqual(["echo 42"]);
    expect(ofType(events, "agent.thread_message_received")[0]!.body).toMatchObject({ from_session_thread_id: primary, from_agent_name: "lead", session_thread_id: child });
    const reply = ofType(events, "agent.thread_message_received").find((e) => e.body.from_session_thread_id === child)!;
    expect(reply.body.session_thread_id).toBe(primary);
    expect(textOf(reply)).toBe("X is 42.");

    // the coordinator's thread: start, wait, then its answer; the session idles once, at the end
    const primaryTypes = events.filter((e) => threadOf(e.body, primary) === primary).map((e) => e.body.type);
    expect(primaryTypes.filter((t) => t.startsWith("session.status"))).toEqual(["session.status_running", "session.status_idle"]);
    expect(primaryTypes.at(-1)).toBe("session.status_idle");
    expect(ofType(events, "agent.tool_use").filter((e) => threadOf(e.body, primary) === primary).map((e) => e.body.name)).toEqual(["start_thread", "wait_for_threads"]);
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("The researcher says X is 42.");
    const seq = (e: { seq: number } | undefined) => e!.seq;
    expect(seq(reply)).toBeLessThan(seq(ofType(events, "session.status_idle").at(-1)));

    // a thread's model request holds only its own conversation
    const childRequest = h.model.calls.find((c) => c.request.system?.[0]?.text === "research")!.request;
    expect(childRequest.messages[0]).toEqual({ role: "user", content: [{ type: "text", text: "Find X.", cache_control: { type: "ephemeral" } }] });
    expect(childRequest.tools?.map((t) => t.name)).not.toContain("start_thread");
    const coordinatorRequest = h.model.calls[0]!.request;
    expect(coordinatorRequest.tools?.map((t) => t.name)).toEqual(expect.arrayContaining(["start_thread", "send_to_thread", "wait_for_threads"]));

    const threads = foldThreads(h.sessionId, events);
    expect(threads.map((t) => [t.id, t.parentThreadId, t.status, t.stopReason?.type])).toEqual([
      [primary, null, "idle", "end_turn"],
      [child, primary, "idle", "end_turn"],
    ]);
    expect(threads[1]!.usage.output_tokens).toBeGreaterThan(0);
    expect(threads[0]!.usage.output_tokens + threads[1]!.usage.output_tokens).toBe((await h.store.getSession(h.sessionId))!.state.usage.output_tokens);
  });

  it("resumes from the log: a thread whose message was never answered runs on the next wake, the coordinator waits for it", async () => {
    const h = await harnessFixture({ script: responder, agent: coordinator, system: "coordinate" });
    await h.send(userMessage("What is X?"));
    // the worker dies (its lease lost) while the thread's first model call streams
    const lost = new AbortController();
    const dying = { ...h.deps, model: { description: "dies on the thread", stream: async (request: TModelRequest, options: Parameters<typeof h.model.stream>[1]) => {
      if (request.system?.[0]?.text !== "research") return h.model.stream(request, options);
      lost.abort(new Error("lease lost"));
      throw new Error("cut off");
    } } };
    await expect(wake(h.sessionId, dying, { signal: lost.signal })).rejects.toThrow("lease lost");
    const before = await h.events();
    expect(ofType(before, "session.thread_created")).toHaveLength(1);
    expect(foldThreads(h.sessionId, before).map((t) => t.status)).toEqual(["running", "running"]);
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    expect(ofType(events, "session.thread_created")).toHaveLength(1); // not started twice
    const threads = foldThreads(h.sessionId, events);
    expect(threads.map((t) => t.status)).toEqual(["idle", "idle"]);
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("The researcher says X is 42.");
  });

  it("an interrupt naming a thread stops that thread alone: the coordinator's call in flight goes on", async () => {
    let interruptSent!: () => void;
    const sent = new Promise<void>((resolve) => (interruptSent = resolve));
    const h = await harnessFixture({
      agent: coordinator,
      system: "coordinate",
      script: async (request) => {
        if (request.system?.[0]?.text === "research") return { hang: true };
        if (said(request).includes("Threads settled")) return textTurn("The researcher was stopped.");
        if (said(request).includes("Started thread")) {
          await sent; // the coordinator's call is in flight when the thread's interrupt arrives
          return toolUseTurn("wait_for_threads", {});
        }
        return toolUseTurn("start_thread", { agent: "researcher", task: "Find X." });
      },
    });
    await h.send(userMessage("What is X?"));
    const woken = wake(h.sessionId, h.deps);
    await until("both calls in flight", () => h.model.calls.length === 3, { intervalMs: 5 });
    const child = ofType(await h.events(), "session.thread_created")[0]!.body.session_thread_id;
    await h.send({ type: "user.interrupt", session_thread_id: child });
    interruptSent();
    await woken;
    const events = await h.events();
    const primary = primaryThreadId(h.sessionId);
    const [lead, thread] = foldThreads(h.sessionId, events);
    expect(thread).toMatchObject({ id: child, status: "idle", stopReason: { type: "end_turn" } });
    expect(lead).toMatchObject({ status: "idle", stopReason: { type: "end_turn" } });
    const failedRequests = ofType(events, "span.model_request_end").filter((e) => e.body.is_error);
    expect(failedRequests.map((e) => threadOf(e.body, primary))).toEqual([child]);
    // the coordinator's call was not cut: three calls (start, wait, answer), each answered once
    expect(h.model.calls.filter((c) => c.request.system?.[0]?.text === "coordinate")).toHaveLength(3);
    expect(ofType(events, "agent.thread_message_sent").filter((e) => threadOf(e.body, primary) === child)).toEqual([]); // no reply after an interrupt
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("The researcher was stopped.");
  });

  it("waits with a thread for a teammate: the session goes idle with requires_action naming the thread's call, and the answer goes to it", async () => {
    const careful = { ...researcher, tools: [{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "always_ask" } } }] };
    const h = await harnessFixture({ script: responder, agent: { ...coordinator, multiagent: { type: "coordinator", agents: [careful] } }, system: "coordinate" });
    await h.send(userMessage("What is X?"));
    await wake(h.sessionId, h.deps);
    const primary = primaryThreadId(h.sessionId);
    let events = await h.events();
    const child = ofType(events, "session.thread_created")[0]!.body.session_thread_id;
    const [use] = ofType(events, "agent.tool_use").filter((e) => threadOf(e.body, primary) === child);
    expect(use!.body).toMatchObject({ name: "bash", evaluated_permission: "ask", session_thread_id: child });
    // the thread waits for the confirmation, and so does the session, naming the thread's call
    expect(foldThreads(h.sessionId, events).find((t) => t.id === child)).toMatchObject({ status: "idle", stopReason: { type: "requires_action", event_ids: [use!.id] } });
    const idle = ofType(events, "session.status_idle").at(-1)!;
    expect(idle.body.stop_reason).toEqual({ type: "requires_action", event_ids: [use!.id] });
    expect(h.provider.latest?.execCalls ?? []).toEqual([]);
    // woken again with nothing answered: it stays as it is (no new event)
    await wake(h.sessionId, h.deps);
    expect((await h.events()).length).toBe(events.length);

    await h.send({ type: "user.tool_confirmation", tool_use_id: use!.id, result: "allow" });
    await wake(h.sessionId, h.deps);
    events = await h.events();
    expect(h.provider.latest!.execCalls.map((c) => c.command)).toEqual(["echo 42"]);
    const statuses = events.filter((e) => threadOf(e.body, primary) === primary && e.body.type.startsWith("session.status_")).map((e) => e.body.type === "session.status_idle" ? `idle:${e.body.stop_reason.type}` : e.body.type);
    expect(statuses).toEqual(["session.status_running", "idle:requires_action", "session.status_running", "idle:end_turn"]);
    expect(textOf(ofType(events, "agent.message").at(-1))).toBe("The researcher says X is 42.");
  });

  it("reads a child thread's view as a single thread: statuses and received messages translated", async () => {
    const h = await harnessFixture({ script: responder, agent: coordinator, system: "coordinate" });
    await h.send(userMessage("What is X?"));
    await wake(h.sessionId, h.deps);
    const events = await h.events();
    const primary = primaryThreadId(h.sessionId);
    const child = ofType(events, "session.thread_created")[0]!.body.session_thread_id;
    const view = threadView(events, child, primary).map((e) => e.body.type);
    expect(view.slice(0, 3)).toEqual(["session.thread_created", "user.message", "session.status_running"]);
    expect(view).toContain("session.status_idle");
    expect(view).not.toContain("agent.thread_message_received");
    // an interrupt naming the child is the child's alone
    await h.send({ type: "user.interrupt", session_thread_id: child });
    const after = await h.events();
    expect(threadView(after, child, primary).at(-1)!.body.type).toBe("user.interrupt");
    expect(threadView(after, primary, primary).at(-1)!.body.type).not.toBe("user.interrupt");
  });
});

describe("threads as folds of the log", () => {
  const at = (seq: number, body: unknown) => ({ id: `sevt_${seq}`, sessionId: "sesn_X", seq, processedAt: null, createdAt: new Date(seq * 1000).toISOString(), body }) as never;
  const sessionId = "sesn_01J00000000000000000000000";
  const primary = primaryThreadId(sessionId);
  const child = "sthr_01J00000000000000000000001";
  const created = { type: "session.thread_created", session_thread_id: child, agent_name: "r", workflow_run_id: null, agent_id: "agent_r", agent_version: 1, parent_thread_id: primary };
  const status = (type: string, extra: Record<string, unknown> = {}) => ({ type, session_thread_id: child, agent_name: "r", ...extra });

  it("folds each thread's status from its own status events, the primary's from the session's, and the archive", () => {
    expect(primary).toBe("sthr_01J00000000000000000000000");
    const log = [
      at(1, { type: "user.message", content: [{ type: "text", text: "hi" }] }),
      at(2, { type: "session.status_running" }),
      at(3, created),
      at(4, status("session.thread_status_running")),
      at(5, { type: "span.model_request_end", model_request_start_id: "x", is_error: false, model_usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, session_thread_id: child }),
    ];
    const running = foldThreads(sessionId, log);
    expect(running.map((t) => [t.id, t.status, t.usage.output_tokens])).toEqual([[primary, "running", 0], [child, "running", 7]]);
    const idle = foldThreads(sessionId, [...log, at(6, status("session.thread_status_idle", { stop_reason: { type: "end_turn" } })), at(7, { type: "span.thread_archived", session_thread_id: child })]);
    expect(idle[1]).toMatchObject({ status: "idle", stopReason: { type: "end_turn" }, idledOnce: true, archivedAt: new Date(7000).toISOString(), createdAt: new Date(3000).toISOString() });
    expect(idle[0]!.status).toBe("running"); // a child's idle is not the session's
  });

  it("plans a coordinator tool as a thread step, and answers wait_for_threads only once every thread it names is settled", async () => {
    const { planNextStep } = await import("@/lib/harness/plan-next-step");
    const { readLog } = await import("@/lib/harness/read-log");
    const { waitResult } = await import("@/lib/harness/coordinator-tools");
    const log = [
      at(1, { type: "user.message", content: [{ type: "text", text: "hi" }] }),
      at(2, { type: "session.status_running" }),
      at(3, { type: "span.model_request_start" }),
      at(4, { type: "agent.tool_use", name: "wait_for_threads", input: { thread_ids: [child] }, evaluated_permission: "allow" }),
      at(5, { type: "span.model_request_end", model_request_start_id: "sevt_3", is_error: false, model_usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }),
    ];
    const step = planNextStep(readLog(log));
    expect(step).toMatchObject({ type: "run_thread_tool", toolUse: { kind: "thread", name: "wait_for_threads" } });
    const use = (step as { toolUse: Parameters<typeof waitResult>[0] }).toolUse;
    const threads = foldThreads(sessionId, [at(6, created)]);
    expect(waitResult(use, threads, () => false)).toBeNull();
    expect(waitResult(use, threads, () => true)).toMatchObject({ type: "agent.tool_result", tool_use_id: "sevt_4", is_error: false });
    expect(waitResult({ ...use, input: { thread_ids: ["sthr_nope"] } }, threads, () => true)).toMatchObject({ is_error: true });
  });

  it("plans a thread again only from a read of the log that began after its step ended: no call answered twice, none run twice", async () => {
    // each read of the log answers what it held when it began, some milliseconds later, as a
    // database does under load: steps of other threads end (and append) while it is under way
    const checker = { ...researcher, id: "agent_checker", name: "checker", system: "check" };
    const calls = (request: TModelRequest) => said(request).split('"tool_result"').length - 1;
    const h = await harnessFixture({
      agent: { name: "lead", system: "coordinate", multiagent: { type: "coordinator", agents: [researcher, checker] } },
      system: "coordinate",
      script: (request) => {
        const system = request.system?.[0]?.text;
        if (system === "research" || system === "check") return calls(request) < 4 ? toolUseTurn("bash", { command: `${system} ${calls(request)}` }) : textTurn("Done.");
        if (said(request).includes("Threads settled")) return textTurn("Both done.");
        if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
        return { content: [
          { type: "tool_use", id: "toolu_start_1", name: "start_thread", input: { agent: "researcher", task: "Go." } },
          { type: "tool_use", id: "toolu_start_2", name: "start_thread", input: { agent: "checker", task: "Go." } },
        ] };
      },
      sandbox: { exec: async (command) => (await new Promise((resolve) => setTimeout(resolve, command.startsWith("check") ? 3 : 7)), { exitCode: 0, stdout: "ok\n" }) },
    });
    const store = h.deps.store;
    const slowReads = { ...store, getEvents: async (id: string, query?: Parameters<typeof store.getEvents>[1]) => {
      const events = await store.getEvents(id, query);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return events;
    } };
    await h.send(userMessage("Go."));
    await wake(h.sessionId, { ...h.deps, store: slowReads });
    const events = await h.events();
    const answers = new Map<string, number>();
    for (const e of events) if (e.body.type === "agent.tool_result") answers.set(e.body.tool_use_id, (answers.get(e.body.tool_use_id) ?? 0) + 1);
    expect([...answers.values()].every((n) => n === 1)).toBe(true);
    expect(ofType(events, "session.thread_created")).toHaveLength(2);
    expect(h.provider.latest!.execCalls.map((c) => c.command).sort()).toEqual(["check 0", "check 1", "check 2", "check 3", "research 0", "research 1", "research 2", "research 3"]);
    expect(ofType(events, "agent.tool_result").some((e) => e.body.is_error)).toBe(false);
    expect(events.at(-1)?.body.type).toBe("session.status_idle");
  });
});

describe("wake: a callable agent's skills", () => {
  it("are in its own thread's system prompt, not the coordinator's", async () => {
    const skilled = { ...researcher, skills: [{ type: "custom", skill_id: "skill_csv", version: "latest" }] };
    const lead = { name: "lead", system: "coordinate", multiagent: { type: "coordinator", agents: [skilled] } };
    const loaded: unknown[] = [];
    const skills = async (session: { teamId: string; agentSnapshot: unknown }) => {
      loaded.push(session.agentSnapshot);
      const refs = (session.agentSnapshot as { skills?: unknown[] }).skills ?? [];
      return refs.length > 0 ? [{ name: "csv-tools", description: "Reads CSV files" }] : [];
    };
    const script = (request: TModelRequest) => {
      const system = request.system?.[0]?.text ?? "";
      if (system.startsWith("research")) return textTurn("X is 42.");
      if (said(request).includes("Threads settled")) return textTurn("Done.");
      if (said(request).includes("Started thread")) return toolUseTurn("wait_for_threads", {});
      return toolUseTurn("start_thread", { agent: "researcher", task: "Find X." });
    };
    const h = await harnessFixture({ script, agent: lead, system: "coordinate", deps: { skills } });
    await h.send(userMessage("What is X?"));
    await wake(h.sessionId, h.deps);
    const systems = h.model.calls.map((c) => c.request.system?.[0]?.text ?? "");
    const child = systems.find((s) => s.startsWith("research"))!;
    expect(child).toContain("# Skills");
    expect(child).toContain("- csv-tools: Reads CSV files (/workspace/.skills/csv-tools/SKILL.md)");
    expect(systems.filter((s) => s.startsWith("coordinate")).every((s) => !s.includes("csv-tools"))).toBe(true);
    expect(loaded).toContainEqual(expect.objectContaining({ id: "agent_researcher", skills: skilled.skills }));
  });
});
