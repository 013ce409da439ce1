import { describe, expect, it } from "vitest";
import { wake } from "@/lib/harness/wake";
import { textTurn } from "@/lib/model/scripted-model-client";
import type { SessionStore } from "@/lib/event-log/session-store";
import { harnessFixture, userMessage } from "./harness-fixture";

/**
 * The model request goes out while its `span.model_request_start` is appended (call-model.ts): the
 * start is still in the log before anything that follows it, and a start the store refuses stops
 * the request and fails the wake with the store's error.
 */

/** `store` with the append that holds `span.model_request_start` handed to `onStart` (which decides when, or whether, it goes through). */
function holdingStart(store: SessionStore, onStart: (append: () => ReturnType<SessionStore["appendEvents"]>) => ReturnType<SessionStore["appendEvents"]>): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== "appendEvents") return Reflect.get(target, property, receiver);
      return (sessionId: string, bodies: unknown[], options?: never) => {
        const append = () => target.appendEvents(sessionId, bodies, options);
        return bodies.some((body) => (body as { type: string }).type === "span.model_request_start") ? onStart(append) : append();
      };
    },
  });
}

describe("a model request and its start", () => {
  it("are sent together: the request is out before the start is in the log, and no delta is published before the start", async () => {
    const h = await harnessFixture({ script: [textTurn("streamed words here")] });
    let callsWhenStartWent = -1;
    h.deps.store = holdingStart(h.deps.store, async (append) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      callsWhenStartWent = h.model.calls.length;
      return append();
    });
    await h.send(userMessage("hi"));
    await wake(h.sessionId, h.deps);

    expect(callsWhenStartWent).toBe(1); // the request was made while its start waited
    expect(await h.types()).toEqual(["user.message", "session.status_running", "span.model_request_start", "agent.message", "span.model_request_end", "session.status_idle"]);
    const order = h.published.map((m) => (m.kind === "preview" ? `preview:${m.preview.type}` : m.kind === "events" ? m.events.map((e) => e.body.type).join(",") : m.kind));
    const startAt = order.findIndex((kind) => kind.includes("span.model_request_start"));
    const firstPreview = order.findIndex((kind) => kind.startsWith("preview:"));
    expect(startAt).toBeGreaterThanOrEqual(0);
    expect(firstPreview).toBeGreaterThan(startAt);
    expect(order.filter((kind) => kind === "preview:event_delta").length).toBeGreaterThan(1); // every delta, held then let through
  });

  it("stop together: a start the store refuses aborts the request, publishes nothing of it, and fails the wake with the store's error", async () => {
    const h = await harnessFixture({ script: [{ hang: true }] });
    h.deps.store = holdingStart(h.deps.store, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("lease lost");
    });
    await h.send(userMessage("hi"));
    await expect(wake(h.sessionId, h.deps)).rejects.toThrow("lease lost");
    expect(h.model.calls).toHaveLength(1);
    expect(await h.types()).toEqual(["user.message"]); // the running status went with the start, refused
    expect(h.published.some((m) => m.kind === "preview")).toBe(false);
  });
});
