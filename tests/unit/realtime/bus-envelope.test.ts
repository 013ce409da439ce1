import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope, type TBusEnvelope } from "@/lib/realtime/bus-envelope";

const event = {
  id: "sevt_1",
  sessionId: "sesn_1",
  seq: 1,
  processedAt: "2026-01-01T00:00:00.000Z",
  createdAt: "2026-01-01T00:00:00.000Z",
  body: { type: "agent.message" as const, content: [{ type: "text" as const, text: "hi" }] },
};

describe("bus envelopes", () => {
  it("round-trips events, previews and deletions", () => {
    const envelopes: TBusEnvelope[] = [
      { v: 1, origin: "a", sessionId: "sesn_1", message: { kind: "events", events: [event] } },
      { v: 1, origin: "a", sessionId: "sesn_1", message: { kind: "preview", preview: { type: "event_start", event: { type: "agent.thinking", id: "sevt_2" } } } },
      {
        v: 1,
        origin: "a",
        sessionId: "sesn_1",
        message: { kind: "preview", preview: { type: "event_delta", event_id: "sevt_2", delta: { type: "content_delta", index: 0, content: { type: "text", text: "x" } } } },
      },
      { v: 1, origin: "a", sessionId: "sesn_1", message: { kind: "deleted" } },
    ];
    for (const envelope of envelopes) expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, envelope });
  });

  it.each([
    ["not JSON", "{nope"],
    ["an unknown kind", JSON.stringify({ v: 1, origin: "a", sessionId: "s", message: { kind: "boom" } })],
    ["an event without seq", JSON.stringify({ v: 1, origin: "a", sessionId: "s", message: { kind: "events", events: [{ ...event, seq: undefined }] } })],
    ["an event body outside the vocabulary", JSON.stringify({ v: 1, origin: "a", sessionId: "s", message: { kind: "events", events: [{ ...event, body: { type: "agent.nope" } }] } })],
    ["a missing origin", JSON.stringify({ v: 1, sessionId: "s", message: { kind: "deleted" } })],
    ["another version", JSON.stringify({ v: 2, origin: "a", sessionId: "s", message: { kind: "deleted" } })],
  ])("refuses %s", (_, raw) => {
    const decoded = decodeEnvelope(raw);
    expect(decoded.ok).toBe(false);
  });
});
