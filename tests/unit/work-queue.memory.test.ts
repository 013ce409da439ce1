import { describe, expect, it } from "vitest";
import { InMemoryWorkQueue } from "@/lib/harness/in-memory-work-queue";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { describeWorkQueueContract } from "@/tests/contracts/work-queue.contract";
import { createTestSession, IN_MEMORY_PREREQS, userMessage } from "@/tests/fixtures/seed";

describeWorkQueueContract("in-memory", async () => {
  let now = Date.now();
  const queue = new InMemoryWorkQueue({ now: () => now });
  const store = new InMemorySessionStore({ workQueue: queue });
  return {
    queue,
    store,
    newSession: () => createTestSession(store, IN_MEMORY_PREREQS),
    async elapse(ms) {
      now += ms;
    },
  };
});

describe("InMemorySessionStore without a work queue", () => {
  it("refuses wake and leaseOwner with an error naming the missing option", async () => {
    const store = new InMemorySessionStore();
    const id = await createTestSession(store, IN_MEMORY_PREREQS);
    await expect(store.appendEvents(id, [userMessage("x")], { wake: true })).rejects.toThrow(/workQueue/);
    await expect(store.appendEvents(id, [userMessage("x")], { leaseOwner: "w1" })).rejects.toThrow(/workQueue/);
    expect(await store.getEvents(id)).toEqual([]);
  });
});
