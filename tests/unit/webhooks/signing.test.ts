import Anthropic from "@anthropic-ai/sdk";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/webhooks/backoff";
import { webhookEnvelope } from "@/lib/webhooks/envelope";
import { isSigningSecret, newSigningSecret, signedHeaders } from "@/lib/webhooks/sign";

const event = { eventId: "wevt_01JZ00000000000000000000AA", eventType: "session.status_idled", subjectId: "sesn_1", threadId: null, occurredAt: new Date("2026-12-07T12:00:00.000Z"), teamId: "team_1" };

describe("webhook envelope", () => {
  it("is the SDK's BetaWebhookEvent: id, type event, created_at, data naming the type, the session and the team", () => {
    expect(webhookEnvelope(event)).toEqual({
      id: event.eventId,
      type: "event",
      created_at: "2026-12-07T12:00:00.000Z",
      data: { type: "session.status_idled", id: "sesn_1", organization_id: "team_1", workspace_id: "team_1" },
    });
  });

  it("names the thread of a thread event", () => {
    expect(webhookEnvelope({ ...event, eventType: "session.thread_idled", threadId: "sthr_1" }).data).toMatchObject({ type: "session.thread_idled", session_thread_id: "sthr_1" });
  });
});

describe("webhook signatures", () => {
  it("makes whsec_ secrets of 32 random bytes, a new one each time", () => {
    const a = newSigningSecret();
    expect(isSigningSecret(a)).toBe(true);
    expect(Buffer.from(a.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(a);
  });

  it("signs so that standardwebhooks and the SDK's unwrap verify, and a changed body or other secret fails", () => {
    const secret = newSigningSecret();
    const body = JSON.stringify(webhookEnvelope(event));
    const headers = signedHeaders({ secret, messageId: event.eventId, body, at: new Date() });
    expect(headers["webhook-id"]).toBe(event.eventId);
    expect(headers["webhook-signature"]).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    const client = new Anthropic({ apiKey: "unused" });
    expect(client.beta.webhooks.unwrap(body, { headers, key: secret })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace("idled", "idle"), headers)).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it("is refused by receivers when its timestamp is old (replay)", () => {
    const secret = newSigningSecret();
    const body = "{}";
    const headers = signedHeaders({ secret, messageId: "wevt_x", body, at: new Date(Date.now() - 3_600_000) });
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/timestamp/i);
  });
});

describe("retry backoff", () => {
  it("waits 3 times longer after each failure, up to the cap, and stops after the last attempt", () => {
    const policy = { baseMs: 10_000, maxDelayMs: 60_000, maxAttempts: 5 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([10_000, 30_000, 60_000, 60_000, null]);
  });

  it("by default tries 8 times over a few hours", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n)!);
    expect(waits[0]).toBe(10_000);
    expect(retryDelayMs(8)).toBeNull();
    const hours = waits.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(3);
    expect(hours).toBeLessThan(4);
  });
});
