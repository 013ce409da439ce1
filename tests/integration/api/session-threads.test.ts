import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/tests/fixtures/app-server";
import { startScriptedApp, type ScriptedApp } from "@/tests/fixtures/scripted-app";
import { type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import { collect, failure } from "@/tests/fixtures/sdk-client";

/**
 * Multi-agent threads through the official SDK against the real server: a coordinator agent whose
 * roster runs as session threads, in parallel, in the one session log; the threads endpoints;
 * `multiagent_20261001` (its validation and update merge, an inline subagent, the advisor).
 */
type TEvent = { type: string; id: string; session_thread_id?: string; [key: string]: unknown };

let api: MessagesApiServer;
let app: AppServer;
let client: Anthropic;
let environmentId: string;

/** Each agent of the scenario answers by its system prompt; the coordinator by where its turn stands. */
function respond(request: MessagesRequest): TTurn {
  const system = JSON.stringify(request.body.system ?? "");
  const said = JSON.stringify(request.body.messages);
  if (system.includes("You are an advisor")) return { content: [{ type: "text", text: "Have an inline verifier check 7." }] };
  if (system.includes("You verify inline.")) return { content: [{ type: "text", text: "7 is verified." }] };
  if (system.includes("You plan.")) {
    if (said.includes("Threads settled")) return { content: [{ type: "text", text: "Final: 7, verified." }] };
    if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
    if (said.includes("inline verifier")) {
      const inline_agent = { name: "verifier", system: "You verify inline.", tools: ["read"] };
      return { content: [{ type: "tool_use", name: "start_thread", input: { inline_agent, task: "Verify 7." } }] };
    }
    return { content: [{ type: "tool_use", name: "consult_advisor", input: { question: "How should I check 7?" } }] };
  }
  // the interrupt scenario: one thread never finishes its answer, the other answers after a while
  if (system.includes("You stall.")) return { content: [{ type: "text", text: "Let me think" }], hangAfterContent: true };
  if (system.includes("You count.")) return { content: [{ type: "text", text: "I counted 3." }], firstTokenDelayMs: 1_500 };
  if (system.includes("You lead two.")) {
    if (said.includes("Threads settled")) return { content: [{ type: "text", text: "The counter says 3." }] };
    if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
    return {
      content: [
        { type: "tool_use", name: "start_thread", input: { agent: "staller", task: "Think." } },
        { type: "tool_use", name: "start_thread", input: { agent: "counter", task: "Count." } },
      ],
    };
  }
  if (system.includes("You research.")) return { content: [{ type: "text", text: "X is 42." }] };
  if (system.includes("You check.")) return { content: [{ type: "text", text: "Checked: 42 is right." }] };
  if (said.includes("Threads settled")) return { content: [{ type: "text", text: "Final: X is 42, checked." }] };
  if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
  return {
    content: [
      { type: "tool_use", name: "start_thread", input: { agent: "researcher", task: "Find X." } },
      { type: "tool_use", name: "start_thread", input: { agent: "checker", task: "Check X." } },
    ],
  };
}

let scripted: ScriptedApp | undefined;
beforeAll(async () => {
  scripted = await startScriptedApp({ environmentName: "threads env", respond });
  ({ api, app, client, environmentId } = scripted);
});
afterAll(() => scripted?.stop());

const agent = (name: string, system: string, extra: Record<string, unknown> = {}) =>
  client.beta.agents.create({ name, model: "claude-threads-test", system, tools: [{ type: "agent_toolset_20260401" }], ...extra } as never);

async function streamUntil(stream: AsyncIterable<TEvent>, done: (e: TEvent) => boolean) {
  const seen: TEvent[] = [];
  for await (const event of stream) {
    seen.push(event);
    if (done(event)) break;
  }
  return seen;
}
const endsTurn = (e: TEvent) => e.type === "session.status_idle" && (e.stop_reason as { type: string }).type === "end_turn";

describe("multi-agent threads through the official SDK", () => {
  it("an interrupt naming one thread stops that thread alone: the other goes on, and the coordinator answers with it", async () => {
    const staller = await agent("staller", "You stall.");
    const counter = await agent("counter", "You count.");
    const lead = await agent("lead two", "You lead two.", { multiagent: { type: "coordinator", agents: [staller.id, counter.id] } });
    const session = await client.beta.sessions.create({ agent: lead.id, environment_id: environmentId });
    // one iterator read in two parts (an SDK stream is read once): until both threads ask their model, then to the end
    const events = ((await client.beta.sessions.events.stream(session.id)) as AsyncIterable<TEvent>)[Symbol.asyncIterator]();
    const readUntil = async (done: (e: TEvent) => boolean) => {
      const got: TEvent[] = [];
      for (let next = await events.next(); !next.done; next = await events.next()) {
        got.push(next.value);
        if (done(next.value)) break;
      }
      return got;
    };
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "Think and count." }] }] });

    // both threads' model requests are under way: the staller's will never end by itself
    const started = new Map<string, string>(); // thread id → agent name
    let threadRequests = 0;
    const seen = await readUntil((e) => {
      if (e.type === "session.thread_created") started.set(e.session_thread_id!, e.agent_name as string);
      if (e.type === "span.model_request_start" && e.session_thread_id && started.has(e.session_thread_id)) threadRequests++;
      return threadRequests === 2;
    });
    const stallerThread = [...started].find(([, name]) => name === "staller")![0];
    const counterThread = [...started].find(([, name]) => name === "counter")![0];
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.interrupt", session_thread_id: stallerThread }] });
    const rest = await readUntil(endsTurn);
    await events.return?.();
    const all = [...seen, ...rest];

    // the staller's request was ended as interrupted, and it went idle without a reply; the counter's answer came after the interrupt
    const mine = (thread: string) => all.filter((e) => e.session_thread_id === thread);
    expect(mine(stallerThread).some((e) => e.type === "span.model_request_end" && e.is_error === true)).toBe(true);
    expect(mine(stallerThread).some((e) => e.type === "agent.thread_message_sent")).toBe(false);
    const interruptAt = all.findIndex((e) => e.type === "user.interrupt");
    const counted = all.findIndex((e) => e.type === "agent.message" && e.session_thread_id === counterThread);
    expect(counted).toBeGreaterThan(interruptAt);
    expect(all.filter((e) => e.type === "session.status_idle")).toHaveLength(1); // the session went on: one idle, at the end
    expect(all.at(-1)).toMatchObject({ type: "session.status_idle" });
    expect(all.filter((e) => e.type === "agent.message" && e.session_thread_id === undefined).at(-1)).toMatchObject({ content: [{ type: "text", text: "The counter says 3." }] });
    const threads = (await client.beta.sessions.threads.list(session.id)).data;
    expect(threads.map((t) => [t.id, t.status])).toEqual(expect.arrayContaining([[stallerThread, "idle"], [counterThread, "idle"]]));
  });

  it("a coordinator runs its roster as threads in the one log; the threads endpoints serve each thread's view", async () => {
    const researcher = await agent("researcher", "You research.");
    const checker = await agent("checker", "You check.");
    const lead = await agent("lead", "You coordinate.", {
      multiagent: { type: "coordinator", agents: [researcher.id, { type: "agent", id: checker.id, version: 1 }] },
    });
    expect(lead.multiagent).toEqual({ type: "coordinator", agents: [{ type: "agent", id: researcher.id, version: 1 }, { type: "agent", id: checker.id, version: 1 }] });
    expect((await client.beta.agents.retrieve(lead.id)).multiagent).toEqual(lead.multiagent);

    // validated: depth 1, 1–20 entries, agents of the team
    expect((await failure(agent("nested", "x", { multiagent: { type: "coordinator", agents: [lead.id] } }))).message).toMatch(/depth limit 1/);
    expect((await failure(agent("empty", "x", { multiagent: { type: "coordinator", agents: [] } }))).status).toBe(400);
    expect((await failure(agent("many", "x", { multiagent: { type: "coordinator", agents: Array.from({ length: 21 }, () => researcher.id) } }))).status).toBe(400);
    expect((await failure(agent("ghost", "x", { multiagent: { type: "coordinator", agents: ["agent_01J0000000000000000000GHST"] } }))).message).toMatch(/not found/);

    const session = await client.beta.sessions.create({ agent: lead.id, environment_id: environmentId });
    const roster = (session.agent.multiagent as { agents: Array<{ name: string; system: string }> }).agents;
    expect(roster.map((a) => [a.name, a.system])).toEqual([["researcher", "You research."], ["checker", "You check."]]);
    const [primary] = (await client.beta.sessions.threads.list(session.id)).data;
    expect(primary).toMatchObject({ type: "session_thread", session_id: session.id, parent_thread_id: null, status: "idle", agent: { id: lead.id, name: "lead" } });
    expect(primary!.id).toMatch(/^sthr_/);

    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "What is X?" }] }] });
    const streamed = await streamUntil(stream as AsyncIterable<TEvent>, endsTurn);

    // the session's stream carries every thread's events; the session idles once, at the end
    const created = streamed.filter((e) => e.type === "session.thread_created");
    expect(created.map((e) => e.agent_name)).toEqual(["researcher", "checker"]);
    const childIds = created.map((e) => e.session_thread_id!);
    expect(streamed.filter((e) => e.type === "session.status_idle")).toHaveLength(1);
    expect(streamed.at(-1)).toMatchObject({ type: "session.status_idle" });
    for (const id of childIds) {
      const mine = streamed.filter((e) => e.session_thread_id === id).map((e) => e.type);
      expect(mine.slice(0, 3)).toEqual(["session.thread_created", "agent.thread_message_received", "session.thread_status_running"]);
      expect(mine).toContain("agent.message");
      expect(mine.slice(-2)).toEqual(["session.thread_status_idle", "agent.thread_message_sent"]);
    }
    const replies = streamed.filter((e) => e.type === "agent.thread_message_received" && childIds.includes(e.from_session_thread_id as string));
    expect(replies.map((e) => (e.content as Array<{ text: string }>)[0]!.text).sort()).toEqual(["Checked: 42 is right.", "X is 42."]);
    expect(replies.every((e) => e.session_thread_id === primary!.id)).toBe(true);
    const final = streamed.filter((e) => e.type === "agent.message" && e.session_thread_id === undefined).at(-1);
    expect(final).toMatchObject({ content: [{ type: "text", text: "Final: X is 42, checked." }] });
    const listed = await collect(client.beta.sessions.events.list(session.id, { limit: 7 } as never));
    expect(listed.map((e) => e.id)).toEqual(streamed.map((e) => e.id)); // the one log, in order, paged

    // the threads endpoints: statuses and usage are folds of the log
    const threads = await collect(client.beta.sessions.threads.list(session.id, { limit: 2 }));
    expect(threads.map((t) => [t.id, t.parent_thread_id, t.status, t.agent.type === "agent" ? t.agent.name : null])).toEqual([
      [primary!.id, null, "idle", "lead"],
      [childIds[0], primary!.id, "idle", "researcher"],
      [childIds[1], primary!.id, "idle", "checker"],
    ]);
    expect(threads[1]!.usage?.output_tokens).toBeGreaterThan(0);
    expect((await client.beta.sessions.threads.list(session.id, { statuses: ["running"] })).data).toEqual([]);
    const one = await client.beta.sessions.threads.retrieve(childIds[0]!, { session_id: session.id });
    expect(one).toMatchObject({ id: childIds[0], status: "idle", archived_at: null, agent: { id: researcher.id, version: 1, system: "You research." } });

    const childEvents = await collect(client.beta.sessions.threads.events.list(childIds[0]!, { session_id: session.id, limit: 3 }));
    expect(childEvents.map((e) => e.id)).toEqual(streamed.filter((e) => e.session_thread_id === childIds[0]).map((e) => e.id));
    const primaryEvents = await collect(client.beta.sessions.threads.events.list(primary!.id, { session_id: session.id }));
    expect(primaryEvents.map((e) => e.type)).toEqual(expect.arrayContaining(["user.message", "agent.tool_use", "agent.thread_message_sent", "session.status_idle"]));
    expect(primaryEvents.some((e) => childIds.includes((e as TEvent).session_thread_id ?? ""))).toBe(false);

    // archive: a child, not the primary
    const archived = await client.beta.sessions.threads.archive(childIds[1]!, { session_id: session.id });
    expect(archived).toMatchObject({ id: childIds[1], status: "terminated" });
    expect(archived.archived_at).not.toBeNull();
    expect((await failure(client.beta.sessions.threads.archive(primary!.id, { session_id: session.id }))).status).toBe(400);
    expect((await failure(client.beta.sessions.threads.retrieve("sthr_01J0000000000000000000NONE", { session_id: session.id }))).status).toBe(404);

    // a thread's stream carries only its events: the coordinator's next turn on the primary's stream
    const primaryStream = await client.beta.sessions.threads.events.stream(primary!.id, { session_id: session.id });
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "Sure?" }] }] });
    const turn = await streamUntil(primaryStream as AsyncIterable<TEvent>, endsTurn);
    // the primary's status comes as the session's and, just before it, as its thread's (the reference: thread statuses are emitted for the primary too)
    expect(turn.map((e) => e.type)).toEqual([
      "user.message",
      "session.thread_status_running",
      "session.status_running",
      "span.model_request_start",
      "agent.message",
      "span.model_request_end",
      "session.thread_status_idle",
      "session.status_idle",
    ]);
    expect(turn.filter((e) => e.type.startsWith("session.thread_status_")).every((e) => e.session_thread_id === primary!.id && e.agent_name === "lead")).toBe(true);
  });

  it("multiagent_20261001: validated and merged through the SDK; the primary consults its advisor and runs an inline subagent", async () => {
    const scout = await agent("scout", "You research.");
    const planner = await agent("planner", "You plan.", {
      multiagent: { type: "multiagent_20261001", advisor: { type: "enabled", model: "claude-advisor-test" }, subagents: { type: "enabled", predefined_agents: [scout.id] } },
    });
    const resolved = {
      type: "multiagent_20261001",
      advisor: { type: "enabled", model: "claude-advisor-test" },
      subagents: { type: "enabled", inline_agents: { type: "enabled" }, predefined_agents: [{ type: "agent", id: scout.id, version: 1 }] },
      workflows: { type: "disabled" },
    };
    expect(planner.multiagent).toEqual(resolved);
    expect((await client.beta.agents.retrieve(planner.id)).multiagent).toEqual(resolved);

    // validated, naming the field; nothing written
    const refused = async (multiagent: unknown) => failure(agent("bad", "x", { multiagent }));
    expect((await refused({ type: "multiagent_20261001", workflows: { type: "enabled" } })).message).toMatch(/multiagent\.workflows: workflow runs are not supported/);
    expect((await refused({ type: "multiagent_20261001", advisor: { type: "enabled" } })).status).toBe(400);
    expect((await refused({ type: "multiagent_20261001", subagents: { type: "enabled", predefined_agents: ["agent_01J0000000000000000000GHST"] } })).message).toMatch(
      /multiagent\.subagents\.predefined_agents\[0\]: agent .* not found/,
    );
    expect((await refused({ type: "multiagent_20261001", subagents: { type: "enabled", inline_agents: { type: "disabled" } } })).message).toMatch(/at least 1 agent/);
    expect((await refused({ type: "multiagent_20261001", subagents: { type: "enabled", predefined_agents: [planner.id] } })).message).toMatch(/depth limit 1/);

    // a coordinator's roster may name one advisor (kept in its place)
    const withAdvisor = await agent("lead2", "x", { multiagent: { type: "coordinator", agents: [{ type: "advisor", model: "claude-advisor-test" }, scout.id] } });
    expect(withAdvisor.multiagent).toEqual({ type: "coordinator", agents: [{ type: "advisor", model: "claude-advisor-test" }, { type: "agent", id: scout.id, version: 1 }] });
    const twoAdvisors = [{ type: "advisor", model: "a" }, { type: "advisor", model: "b" }];
    expect((await failure(agent("bad", "x", { multiagent: { type: "coordinator", agents: twoAdvisors } }))).message).toMatch(/multiagent\.agents\[1\]: at most one advisor/);

    // an update merges level by level: the advisor's model changes, the subagents are kept
    const updated = await client.beta.agents.update(planner.id, { version: 1, multiagent: { type: "multiagent_20261001", advisor: { type: "enabled", model: "claude-advisor-2" } } } as never);
    expect(updated.version).toBe(2);
    expect(updated.multiagent).toEqual({ ...resolved, advisor: { type: "enabled", model: "claude-advisor-2" } });
    const back = await client.beta.agents.update(planner.id, { version: 2, multiagent: { type: "multiagent_20261001", advisor: { type: "enabled", model: "claude-advisor-test" } } } as never);
    expect(back.multiagent).toEqual(resolved);

    // the session pins the predefined agents' definitions
    const session = await client.beta.sessions.create({ agent: planner.id, environment_id: environmentId });
    const pinned = session.agent.multiagent as { type: string; advisor: unknown; subagents: { predefined_agents: Array<{ name: string; system: string }> } };
    expect(pinned.advisor).toEqual(resolved.advisor);
    expect(pinned.subagents.predefined_agents.map((a) => [a.name, a.system])).toEqual([["scout", "You research."]]);

    const stream = await client.beta.sessions.events.stream(session.id);
    const advisorCallsBefore = api.requests.filter((r) => JSON.stringify(r.body?.system ?? "").includes("You are an advisor")).length;
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "Is 7 right?" }] }] });
    const streamed = await streamUntil(stream as AsyncIterable<TEvent>, endsTurn);

    // the advisor: a separate request to its model; its advice is the tool's result, its usage counted
    const advisorRequests = api.requests.filter((r) => JSON.stringify(r.body?.system ?? "").includes("You are an advisor")).slice(advisorCallsBefore);
    expect(advisorRequests.map((r) => r.body?.model)).toEqual(["claude-advisor-test"]);
    expect(JSON.stringify(advisorRequests[0]!.body?.messages)).toContain("How should I check 7?");
    const consult = streamed.find((e) => e.type === "agent.tool_use" && e.name === "consult_advisor")!;
    const advice = streamed.find((e) => e.type === "agent.tool_result" && e.tool_use_id === consult.id)!;
    expect(advice).toMatchObject({ is_error: false, content: [{ type: "text", text: "Have an inline verifier check 7." }], model: "claude-advisor-test" });

    // the inline subagent: a thread running the definition the planner wrote
    const created = streamed.filter((e) => e.type === "session.thread_created");
    expect(created.map((e) => e.agent_name)).toEqual(["verifier"]);
    const child = created[0]!.session_thread_id!;
    const thread = await client.beta.sessions.threads.retrieve(child, { session_id: session.id });
    expect(thread.agent).toMatchObject({ type: "inline", name: "verifier", system: "You verify inline.", model: { id: "claude-threads-test" }, mcp_servers: [] });
    expect(JSON.stringify(thread.agent)).toContain('"read"');
    const reply = streamed.find((e) => e.type === "agent.thread_message_received" && e.from_session_thread_id === child);
    expect(reply).toMatchObject({ content: [{ type: "text", text: "7 is verified." }] });
    expect(streamed.filter((e) => e.type === "agent.message" && e.session_thread_id === undefined).at(-1)).toMatchObject({ content: [{ type: "text", text: "Final: 7, verified." }] });

    const done = await client.beta.sessions.retrieve(session.id);
    const primaryTokens = (advice.model_usage as { input_tokens: number }).input_tokens;
    expect(primaryTokens).toBeGreaterThan(0);
    const threads = await collect(client.beta.sessions.threads.list(session.id));
    const sum = threads.reduce((total, t) => total + (t.usage?.input_tokens ?? 0), 0);
    expect(done.usage.input_tokens).toBe(sum); // the advisor's tokens are in the primary thread's and the session's usage
  });
});
