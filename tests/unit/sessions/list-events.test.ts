import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { listEvents } from "@/lib/sessions/list-events";
import { agentMessage, createTestSession, IN_MEMORY_PREREQS, userMessage } from "@/tests/fixtures/seed";

describe("listEvents' types[] filter", () => {
  const setUp = async () => {
    const store = new InMemorySessionStore({ workQueue: new InMemoryWorkQueue() });
    const id = await createTestSession(store, IN_MEMORY_PREREQS);
    await store.appendEvents(id, [userMessage("hi"), agentMessage("hello"), { type: "agent.tool_use", name: "bash", input: { command: "ls" } }]);
    const list = (query: string) => listEvents({ store }, { teamId: IN_MEMORY_PREREQS.teamId, sessionId: id, query: new URLSearchParams(query) });
    return { list };
  };

  it("takes the thread types the SDK's session tool runner names, matching only the stored ones", async () => {
    const { list } = await setUp();
    // the history read of SessionToolRunner in @anthropic-ai/sdk 1.17 names these
    const page = await list("types[]=agent.tool_use&types[]=session.thread_status_running&types[]=session.thread_status_idle&limit=1000");
    expect(page.data.map((e) => e.type)).toEqual(["agent.tool_use"]);
  });

  it("answers an empty page for SDK types this server never stores", async () => {
    const { list } = await setUp();
    expect(await list("types[]=workflow_run.created&types[]=user.define_outcome")).toEqual({ data: [], next_page: null });
  });

  it("still refuses a type the SDK does not know", async () => {
    const { list } = await setUp();
    await expect(list("types[]=agent.explode")).rejects.toThrow(AppError);
    await expect(list("types[]=agent.explode")).rejects.toThrow(/types: unknown event type "agent\.explode"/);
  });
});
