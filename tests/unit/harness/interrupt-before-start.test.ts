import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { toolUseTurn } from "@/lib/model/scripted-model-client";
import type { SessionStore } from "@/lib/event-log/session-store";
import { harnessFixture, userMessage } from "./harness-fixture";

/**
 * A `user.interrupt` committed after the harness planned a call but before the call's start span
 * (another process appended it in that gap) stops the call (watch-for-interrupt.ts): the watch reads
 * the gap instead of starting after the start span. Without it the call ran on to its end.
 */

/** `store` where an interrupt is appended just before the append that holds a `startType` span. */
function interruptingBefore(store: SessionStore, startType: string): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== "appendEvents") return Reflect.get(target, property, receiver);
      return async (sessionId: string, bodies: unknown[], options?: never) => {
        if (bodies.some((body) => (body as { type: string }).type === startType)) await target.appendEvents(sessionId, [{ type: "user.interrupt" }]);
        return target.appendEvents(sessionId, bodies, options);
      };
    },
  });
}

describe("an interrupt appended between a call's plan and its start", () => {
  it("stops a model call that would never end", async () => {
    // a poll far longer than the test: only the read of the gap can find the interrupt
    const h = await harnessFixture({ script: [{ hang: true }], deps: { interruptPollMs: 600_000 } });
    h.deps.store = interruptingBefore(h.deps.store, "span.model_request_start");
    await h.send(userMessage("take forever"));
    await wake(h.sessionId, h.deps);

    const types = await h.types();
    expect(types.slice(0, 4)).toEqual(["user.message", "user.interrupt", "session.status_running", "span.model_request_start"]);
    expect(types.at(-1)).toBe("session.status_idle");
    const end = (await h.events()).find((e) => e.body.type === "span.model_request_end");
    expect(end?.body).toMatchObject({ is_error: true });
  });

  it("stops a tool call that would never end", async () => {
    const h = await harnessFixture({
      script: [toolUseTurn("bash", { command: "sleep forever" })],
      sandbox: { exec: () => new Promise(() => {}) },
      deps: { interruptPollMs: 600_000 },
    });
    h.deps.store = interruptingBefore(h.deps.store, "span.tool_execution_start");
    await h.send(userMessage("run it"));
    await wake(h.sessionId, h.deps);

    const types = await h.types();
    const interruptAt = types.indexOf("user.interrupt");
    expect(types[interruptAt + 1]).toBe("span.tool_execution_start");
    expect(types.at(-1)).toBe("session.status_idle");
    const result = (await h.events()).find((e) => e.body.type === "agent.tool_result");
    expect(result?.body).toMatchObject({ is_error: true });
  });
});
