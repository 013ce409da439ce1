import { describe, expect, it } from "vitest";
import type { TEventBody } from "@/lib/event-log/events";
import { createLogger } from "@/lib/log";
import { webhookEventsOf } from "@/lib/webhooks/append-outbox";
import { WebhookDispatcher, type TDispatcherOptions } from "@/lib/webhooks/dispatcher";
import { InMemoryWebhookOutbox } from "@/lib/webhooks/in-memory-outbox";

const log = createLogger({ level: "error" });
const SECRET = "whsec_" + Buffer.alloc(32, 7).toString("base64");

function setup(answers: Array<number | "hang" | "refuse">, overrides: Partial<TDispatcherOptions> = {}) {
  let clock = 1_000_000;
  const outbox = new InMemoryWebhookOutbox(() => clock);
  const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (answer === "refuse") throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    if (answer === "hang") return new Promise<Response>((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    return new Response(answer === 204 ? null : `answer ${answer}`, { status: answer });
  }) as unknown as typeof fetch;
  const dispatcher = new WebhookDispatcher({
    outbox,
    openSecret: () => SECRET,
    owner: "p1",
    log,
    retry: { baseMs: 1_000, maxDelayMs: 60_000, maxAttempts: 3 },
    timeoutMs: 50,
    pollMs: 10,
    privateAddresses: { all: true, addresses: [] },
    fetch: fetchStub,
    ...overrides,
  });
  const row = outbox.add({ id: "whdl_1", endpointId: "whep_1", url: "http://127.0.0.1:9/hook", eventId: "wevt_1", eventType: "session.status_idled", subjectId: "sesn_1", threadId: null, occurredAt: new Date(0), teamId: "team_1" });
  return { outbox, dispatcher, calls, row, advance: (ms: number) => (clock += ms) };
}

describe("WebhookDispatcher on the in-memory outbox", () => {
  it("delivers a due row once, signed, and marks it delivered with the answer", async () => {
    const { dispatcher, calls, row } = setup([204]);
    expect(await dispatcher.tick()).toBe(1);
    expect(row.status).toBe("delivered");
    expect(row.attempts).toBe(1);
    expect(row.lastOutcome).toMatchObject({ ok: true, responseStatus: 204 });
    expect(calls[0]!.headers["webhook-id"]).toBe("wevt_1");
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ id: "wevt_1", type: "event", data: { type: "session.status_idled", id: "sesn_1" } });
    expect(await dispatcher.tick()).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it("retries a failing endpoint after the backoff, and marks it failed when the attempts are spent", async () => {
    const { dispatcher, calls, row, advance } = setup([500, "refuse", 502]);
    await dispatcher.tick();
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastOutcome).toMatchObject({ ok: false, responseStatus: 500, responseBody: "answer 500" });
    expect(await dispatcher.tick()).toBe(0); // not due before the wait
    advance(1_000);
    await dispatcher.tick();
    expect(row).toMatchObject({ status: "pending", attempts: 2 });
    expect(row.lastOutcome!.error).toContain("ECONNREFUSED");
    advance(2_999);
    expect(await dispatcher.tick()).toBe(0); // the second wait is 3 s
    advance(1);
    await dispatcher.tick();
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    advance(1_000_000);
    expect(await dispatcher.tick()).toBe(0);
    expect(calls).toHaveLength(3);
  });

  it("counts an endpoint that does not answer in time as a failed attempt", async () => {
    const { dispatcher, row } = setup(["hang"]);
    await dispatcher.tick();
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastOutcome!.error).toBe("no answer within 50 ms");
  });

  it("does not send to a private address the policy does not allow", async () => {
    const { dispatcher, row, calls } = setup([200], { privateAddresses: { all: false, addresses: [] } });
    await dispatcher.tick();
    expect(calls).toHaveLength(0);
    expect(row.lastOutcome!.error).toMatch(/^not sent: the URL resolves to a loopback/);
  });

  it("leases a row to one dispatcher: a second one neither takes it nor records over it", async () => {
    const { outbox, row, advance } = setup([200]);
    const first = await outbox.claim({ owner: "p1", limit: 10, leaseMs: 5_000 });
    expect(first.map((d) => d.id)).toEqual(["whdl_1"]);
    expect(await outbox.claim({ owner: "p2", limit: 10, leaseMs: 5_000 })).toEqual([]);
    expect(await outbox.record({ id: row.id, owner: "p2", outcome: { ok: true, responseStatus: 200, responseBody: "", error: null }, retryInMs: null })).toBe(false);
    advance(5_001); // p1 died: its lease runs out and p2 takes the row
    expect((await outbox.claim({ owner: "p2", limit: 10, leaseMs: 5_000 })).map((d) => d.id)).toEqual(["whdl_1"]);
    expect(await outbox.record({ id: row.id, owner: "p1", outcome: { ok: true, responseStatus: 200, responseBody: "", error: null }, retryInMs: null })).toBe(false);
    expect(row.status).toBe("pending");
  });

  it("keeps delivering what becomes due while an endpoint does not answer", async () => {
    const { dispatcher, outbox, row: hung, calls } = setup(["hang"], { timeoutMs: 400 });
    const fetchByUrl = (async (url: string, init: RequestInit) => {
      calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
      if (url.endsWith("/ok")) return new Response("ok", { status: 200 });
      return new Promise<Response>((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    }) as unknown as typeof fetch;
    (dispatcher as unknown as { options: TDispatcherOptions }).options.fetch = fetchByUrl;
    dispatcher.start();
    while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    const healthy = outbox.add({ id: "whdl_2", endpointId: "whep_2", url: "http://127.0.0.1:9/ok", eventId: "wevt_2", eventType: "session.created", subjectId: "sesn_1", threadId: null, occurredAt: new Date(0), teamId: "team_1" });
    while (healthy.status !== "delivered") await new Promise((r) => setTimeout(r, 5));
    expect(hung.attempts).toBe(0); // still waiting for its answer
    await dispatcher.stop();
    expect(hung).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("on stop, gives an attempt in flight a grace period, then aborts it and records it as failed", async () => {
    const { dispatcher, row, calls } = setup(["hang"], { timeoutMs: 60_000 });
    dispatcher.start();
    while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await dispatcher.stop(50);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastOutcome!.error).toBe("no answer before this process stopped");
  });

  it("stops its loop promptly", async () => {
    const { dispatcher, row } = setup([200]);
    dispatcher.start();
    while (row.status !== "delivered") await new Promise((r) => setTimeout(r, 5));
    await dispatcher.stop();
    expect(row.attempts).toBe(1);
  });
});

describe("webhook events of a log append", () => {
  it("announces status changes under the webhook names, threads with their id, and nothing else", () => {
    let n = 0;
    const bodies = [
      { type: "user.message", content: [] },
      { type: "session.status_running" },
      { type: "agent.message", content: [] },
      { type: "session.thread_status_idle", session_thread_id: "sthr_1", agent_name: "a", stop_reason: { type: "end_turn" } },
      { type: "session.status_idle", stop_reason: { type: "end_turn" } },
      { type: "session.status_idle", stop_reason: { type: "budget_reached" }, stop_details: null },
      { type: "session.status_terminated" },
    ] as unknown as TEventBody[];
    expect(webhookEventsOf(bodies.map((body) => ({ body })), () => `wevt_${++n}`)).toEqual([
      { eventId: "wevt_1", type: "session.status_run_started", threadId: null },
      { eventId: "wevt_2", type: "session.thread_idled", threadId: "sthr_1" },
      { eventId: "wevt_3", type: "session.status_idled", threadId: null },
      { eventId: "wevt_4", type: "session.status_idled", threadId: null },
      { eventId: "wevt_5", type: "session.budget_reached", threadId: null },
      { eventId: "wevt_6", type: "session.status_terminated", threadId: null },
    ]);
    expect(webhookEventsOf([{ body: { type: "agent.message", content: [] } as unknown as TEventBody }])).toEqual([]);
  });
});
