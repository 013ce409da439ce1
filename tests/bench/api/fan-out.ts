/**
 * Fan-out: SUBSCRIBERS concurrent SSE subscribers on one session (raw `fetch`, our own parser),
 * then MESSAGES `user.message`s sent one after another through the SDK. The scripted model answers
 * each at once, so the stream carries the messages and the turns the harness runs for them
 * (status changes, model request spans, agent messages). Every event any subscriber gets counts.
 * A warm-up round of 20 messages on another session comes first.
 *
 * Delay of an (event, subscriber) pair: arrival at the subscriber − the event's `processed_at`,
 * which the store stamps inside the appending transaction, just before it writes (so the delay
 * includes the write and the commit; the timestamp has millisecond resolution; same machine, same
 * clock). For the `user.message`s, also from the moment the SDK's send call returned.
 *
 * Correctness: every subscriber must have received, in order and once each, exactly the events
 * `GET /v1/sessions/{id}/events` lists.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { observeFor, until } from "@/tests/fixtures/wait";
import { percentile } from "../stats";
import { say, untilSettled, type TBenchServer } from "./server";
import { subscribe, wallClock, type TReceived } from "./sse-subscriber";

export const SUBSCRIBERS = Number(process.env.BENCH_API_SUBSCRIBERS ?? 100);
export const MESSAGES = Number(process.env.BENCH_API_MESSAGES ?? 200);

export type TDistribution = { p50: number; p99: number; max: number };
export type TFanOut = {
  events: number;
  seconds: number;
  /** All (event, subscriber) pairs, from processed_at. */
  delay: TDistribution;
  /** Per event, its first arrival, and the time from its first to its last arrival. */
  first: TDistribution;
  spread: TDistribution;
  /** The user.messages, from the send call's return (negative: the stream was first). */
  fromSend: TDistribution;
  /** Event-loop delay of this (the subscribers') process meanwhile. */
  clientLoopP99: number;
  problems: string[];
};

const distribution = (samples: number[]): TDistribution => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: samples.reduce((a, b) => Math.max(a, b), -Infinity),
});

async function listIds(client: Anthropic, sessionId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) ids.push(event.id);
  return ids;
}

/** What is wrong with one subscriber's events against the listed ones; null when nothing. */
function check(received: TReceived[], listed: string[]): string | null {
  const got = received.map((e) => e.id);
  if (got.join() === listed.join()) return null;
  const counts = new Map<string, number>();
  for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
  const expected = new Set(listed);
  const missed = listed.filter((id) => !counts.has(id)).length;
  const duplicated = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
  const unknown = [...counts.keys()].filter((id) => !expected.has(id)).length;
  return `${missed} missed, ${duplicated} duplicated, ${unknown} not listed${missed + duplicated + unknown === 0 ? ", out of order" : ""}`;
}

/** One session, SUBSCRIBERS subscribers, `messages` messages: what each subscriber received and what the list holds. */
async function round(server: TBenchServer, client: Anthropic, messages: number) {
  const { id: sessionId } = await client.beta.sessions.create({ agent: server.agentId, environment_id: server.environmentId });
  const before = new Set(await listIds(client, sessionId));
  const subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(server.app.url, server.app.apiKey, sessionId)));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const sentAt = new Map<string, number>();
  const start = performance.now();
  for (let i = 0; i < messages; i++) {
    const sent = await client.beta.sessions.events.send(sessionId, say(`fan-out message ${i}`));
    const at = wallClock();
    for (const event of sent.data ?? []) sentAt.set(event.id, at);
  }
  await untilSettled(client, [sessionId]);
  const listed = (await listIds(client, sessionId)).filter((id) => !before.has(id));
  await until("every subscriber to catch up", () => subscribers.every((s) => s.received.length >= listed.length), { timeoutMs: 10_000, intervalMs: 10 }).catch(() => {});
  const seconds = (performance.now() - start) / 1000;
  await observeFor(200, "no extra (duplicate) event to arrive");
  loop.disable();
  for (const s of subscribers) s.close();
  await Promise.all(subscribers.map((s) => s.done));
  return { subscribers, listed, sentAt, seconds, clientLoopP99: loop.percentile(99) / 1e6 };
}

export async function benchFanOut(server: TBenchServer): Promise<TFanOut> {
  const client = server.newClient();
  await round(server, client, 20); // warm-up: the stream's code paths, connections
  const { subscribers, listed, sentAt, seconds, clientLoopP99 } = await round(server, client, MESSAGES);

  const problems: string[] = [];
  subscribers.forEach((s, i) => {
    const problem = check(s.received, listed);
    if (problem) problems.push(`subscriber ${i}: ${problem}`);
  });

  const delays: number[] = [];
  const arrivals = new Map<string, { processedAt: number; times: number[] }>();
  for (const s of subscribers) {
    for (const e of s.received) {
      delays.push(e.arrivedAt - e.processedAt);
      const entry = arrivals.get(e.id) ?? { processedAt: e.processedAt, times: [] };
      entry.times.push(e.arrivedAt);
      arrivals.set(e.id, entry);
    }
  }
  const perEvent = [...arrivals.entries()];
  const firstOf = (times: number[]) => Math.min(...times);
  return {
    events: listed.length,
    seconds,
    delay: distribution(delays),
    first: distribution(perEvent.map(([, e]) => firstOf(e.times) - e.processedAt)),
    spread: distribution(perEvent.map(([, e]) => Math.max(...e.times) - firstOf(e.times))),
    fromSend: distribution(perEvent.flatMap(([id, e]) => (sentAt.has(id) ? e.times.map((t) => t - sentAt.get(id)!) : []))),
    clientLoopP99,
    problems,
  };
}
