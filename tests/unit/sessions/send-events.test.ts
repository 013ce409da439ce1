import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import type { SessionStore } from "@/lib/event-log/session-store";
import { sendEvents } from "@/lib/sessions/send-events";
import { agentMessage, createTestSession, IN_MEMORY_PREREQS, userMessage } from "@/tests/fixtures/seed";

/** The in-memory store, counting the events its reads hand back. */
function countingStore(inner: SessionStore) {
  const counts = { read: 0 };
  const store: SessionStore = {
    createSession: (input) => inner.createSession(input),
    getSession: (id) => inner.getSession(id),
    appendEvents: (id, events, options) => inner.appendEvents(id, events, options),
    async getEvents(id, query) {
      const events = await inner.getEvents(id, query);
      counts.read += events.length;
      return events;
    },
  };
  return { store, counts };
}

/** A session whose log holds `toolUses` tool uses (each with a message around it); returns the ids of the uses. */
async function longSession(store: SessionStore, toolUses: number) {
  const id = await createTestSession(store, IN_MEMORY_PREREQS);
  const uses: string[] = [];
  for (let i = 0; i < toolUses; i += 500) {
    const batch = Array.from({ length: Math.min(500, toolUses - i) }, (_, j) => [
      agentMessage(`step ${i + j}`),
      { type: j % 2 === 0 ? "agent.tool_use" : "agent.custom_tool_use", name: "bash", input: { command: `echo ${i + j}` } },
    ]).flat();
    const { events } = await store.appendEvents(id, batch);
    uses.push(...events.filter((e) => e.body.type !== "agent.message").map((e) => e.id));
  }
  return { id, uses };
}

describe("sendEvents", () => {
  const setUp = () => countingStore(new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() }));
  const send = (store: SessionStore, sessionId: string, events: unknown[]) =>
    sendEvents({ store }, { teamId: IN_MEMORY_PREREQS.teamId, sessionId, body: { events } });

  it("reads only the replies' targets, however long the log", async () => {
    const readsFor = async (toolUses: number) => {
      const { store, counts } = setUp();
      const { id, uses } = await longSession(store, toolUses);
      counts.read = 0;
      await send(store, id, [
        { type: "user.tool_confirmation", tool_use_id: uses[0], result: "allow" },
        { type: "user.custom_tool_result", custom_tool_use_id: uses[1], content: [{ type: "text", text: "done" }] },
        userMessage("and then?"),
      ]);
      return counts.read;
    };
    const short = await readsFor(4);
    const long = await readsFor(12_000);
    expect(short).toBe(2); // the two targets, nothing else
    expect(long).toBe(short);
  });

  it("keeps refusing a reply to no tool use of the session, or to the wrong kind, with the same messages", async () => {
    const { store, counts } = setUp();
    const { id, uses } = await longSession(store, 2);
    const [toolUse, customToolUse] = uses as [string, string];
    const refused = async (events: unknown[]) => {
      const error = await send(store, id, events).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).message;
    };
    expect(await refused([userMessage("hi"), { type: "user.tool_confirmation", tool_use_id: customToolUse, result: "allow" }])).toBe(
      `events[1].tool_use_id: no agent.tool_use or agent.mcp_tool_use ${customToolUse} in this session`,
    );
    expect(await refused([{ type: "user.custom_tool_result", custom_tool_use_id: toolUse }])).toBe(
      `events[0].custom_tool_use_id: no agent.custom_tool_use ${toolUse} in this session`,
    );
    const other = await longSession(store, 2);
    expect(await refused([{ type: "user.tool_confirmation", tool_use_id: other.uses[0], result: "deny" }])).toBe(
      `events[0].tool_use_id: no agent.tool_use or agent.mcp_tool_use ${other.uses[0]} in this session`,
    );
    expect((await store.getEvents(id)).length).toBe(4); // nothing written by the refused sends
    counts.read = 0;
    await send(store, id, [{ type: "user.tool_confirmation", tool_use_id: toolUse, result: "allow" }]);
    expect(counts.read).toBe(1);
  });

  it("checks a plain message's session in the append itself, answering as a lookup would", async () => {
    const queue = new InMemoryWorkQueue();
    const inner = new InMemorySessionStore({ workQueue: queue });
    const calls: string[] = [];
    const store: SessionStore = {
      createSession: (input) => inner.createSession(input),
      getSession: (id) => (calls.push("getSession"), inner.getSession(id)),
      appendEvents: (id, events, options) => (calls.push("appendEvents"), inner.appendEvents(id, events, options)),
      getEvents: (id, query) => (calls.push("getEvents"), inner.getEvents(id, query)),
    };
    const id = await createTestSession(inner, IN_MEMORY_PREREQS);
    const error = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : e),
      );

    await send(store, id, [userMessage("one step")]);
    expect(calls).toEqual(["appendEvents"]); // no read before the write
    expect((await queue.claim("w1", 60_000))?.sessionId).toBe(id); // and the session was woken

    const foreign = sendEvents({ store }, { teamId: "team_other", sessionId: id, body: { events: [userMessage("x")] } });
    expect(await error(foreign)).toBe(`not_found: session ${id} not found`);
    expect(await error(send(store, "sesn_unknown", [userMessage("x")]))).toBe("not_found: session sesn_unknown not found");
    expect(await error(send(store, "not an id", [userMessage("x")]))).toBe("not_found: session not an id not found");
    await inner.appendEvents(id, [{ type: "session.status_terminated" }]);
    expect(await error(send(store, id, [userMessage("x")]))).toBe(`invalid_request: session ${id} is terminated`);
    // an invalid event to a session that refuses anyway: the session's answer comes first, as before
    expect(await error(send(store, id, [{ type: "agent.message", content: [] }]))).toBe(`invalid_request: session ${id} is terminated`);
    expect(await error(send(store, "sesn_unknown", [{ type: "agent.message", content: [] }]))).toBe("not_found: session sesn_unknown not found");
    expect((await inner.getEvents(id)).map((e) => e.body.type)).toEqual(["user.message", "session.status_terminated"]);
  });

  it("stores a reply naming the thread whose tool use it answers, and none for the primary thread's", async () => {
    const { store } = setUp();
    const id = await createTestSession(store, IN_MEMORY_PREREQS);
    const child = "sthr_01J00000000000000000000001";
    const { events } = await store.appendEvents(id, [
      { type: "agent.custom_tool_use", name: "ask", input: {}, session_thread_id: child },
      { type: "agent.custom_tool_use", name: "ask", input: {} },
    ]);
    const sent = await send(store, id, [
      { type: "user.custom_tool_result", custom_tool_use_id: events[0]!.id, content: [{ type: "text", text: "a" }] },
      { type: "user.custom_tool_result", custom_tool_use_id: events[1]!.id, content: [{ type: "text", text: "b" }], session_thread_id: child },
    ]);
    expect(sent.data.map((e) => (e as { session_thread_id?: string }).session_thread_id)).toEqual([child, undefined]);
  });
});
