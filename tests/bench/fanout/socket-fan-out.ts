/**
 * Socket.io fan-out across two servers: VIEWERS socket.io-client connections (websocket transport,
 * authenticated by the API key in the handshake), alternately on server A and server B, all joined
 * to one session with `session:join {sessionId, afterSeq: 0}`. Then MESSAGES `user.message`s are
 * sent to server A one after another (each POST awaited, the next sent at once); A's harness answers
 * each with the scripted model at once, so the session carries the messages and the turns
 * (status changes, model request spans, agent messages). Every event any viewer gets counts.
 *
 * Viewers on A get A's events from its in-process bus; viewers on B get them through the Redis
 * event bus. A warm-up round of 20 messages on another session comes first (same sockets).
 *
 * Delay of an (event, viewer) pair: the moment the `session:events` handler ran − the event's
 * `processed_at` (stamped in the appending transaction before the write; millisecond resolution;
 * the same machine clock, read the same way). Correctness: each viewer must have received exactly the events
 * `GET /v1/sessions/{id}/events` lists, once each, in order, with increasing seqs — the list read
 * after the session went idle, every viewer caught up and 300 ms more passed (events appended
 * after the session went idle are reported: none are expected).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import type { TJoinAck, TEventsPayload } from "@/lib/realtime/session-protocol";
import type { AppServer } from "@/tests/fixtures/app-server";
import { observeFor } from "@/tests/fixtures/wait";
import { percentile } from "../stats";
import { api, listEvents, sleep, untilIdle, userMessage, type TServers } from "./servers";

export const VIEWERS = Number(process.env.BENCH_FANOUT_VIEWERS ?? 200);
export const MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 200);
const WARM_UP_MESSAGES = 20;

export type TDistribution = { count: number; p50: number; p99: number; max: number };
type TReceived = { sessionId: string; id: string; type: string; seq: number; processedAt: number; arrivedAt: number };
type TViewer = { on: "A" | "B"; socket: Socket; received: TReceived[]; disconnects: number };

export type TSocketFanOut = {
  events: number;
  seconds: number;
  join: TDistribution;
  delay: { all: TDistribution; onA: TDistribution; onB: TDistribution; first: TDistribution; spread: TDistribution };
  viewersLoopP99: number;
  problems: string[];
  /** Types of the events appended after the session went idle (none expected). */
  afterIdle: string[];
  /** The measured session (its log serves as the template of the replay session). */
  sessionId: string;
};

/**
 * The arrival time, read from the clock the server stamps `processed_at` with (`new Date()`, the
 * system's wall clock, ms). `performance.timeOrigin + performance.now()` extrapolates the monotonic
 * clock from the process's start, which drifts from the wall clock by milliseconds while it runs.
 */
const wallClock = () => Date.now();

const distribution = (samples: number[]): TDistribution => ({
  count: samples.length,
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: samples.reduce((a, b) => Math.max(a, b), -Infinity),
});

function connect(server: AppServer, on: "A" | "B", apiKey: string): Promise<TViewer> {
  const socket = io(server.url, { path: "/socket.io", transports: ["websocket"], reconnection: false, auth: { apiKey } });
  const viewer: TViewer = { on, socket, received: [], disconnects: 0 };
  socket.on("session:events", (payload: TEventsPayload) => {
    const arrivedAt = wallClock();
    for (const e of payload.events) viewer.received.push({ sessionId: payload.sessionId, id: e.id, type: e.type, seq: e.seq, processedAt: Date.parse(e.processed_at ?? ""), arrivedAt });
  });
  socket.on("disconnect", () => (viewer.disconnects += 1));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(viewer));
    socket.once("connect_error", reject);
  });
}

/** What is wrong with one viewer's events against the listed ones; null when nothing. */
function check(viewer: TViewer, listed: string[], sessionId: string): string | null {
  const seqsIncrease = viewer.received.every((e, i) => i === 0 || e.seq > viewer.received[i - 1]!.seq);
  const got = viewer.received.map((e) => e.id);
  if (got.join() === listed.join() && seqsIncrease && viewer.disconnects === 0) return null;
  const counts = new Map<string, number>();
  for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
  const expected = new Set(listed);
  const missed = listed.filter((id) => !counts.has(id)).length;
  const duplicated = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
  const unlisted = viewer.received.filter((e) => !expected.has(e.id));
  const unknown = new Set(unlisted.map((e) => e.id)).size;
  const what = unknown > 0 ? ` (${[...new Set(unlisted.map((e) => `${e.type} #${e.seq}${e.sessionId === sessionId ? "" : " of another session"}`))].slice(0, 3).join(", ")})` : "";
  const order = missed + duplicated + unknown === 0 && (!seqsIncrease || got.join() !== listed.join()) ? ", out of order" : "";
  return `${missed} missed, ${duplicated} duplicated, ${unknown} not listed${what}${order}${viewer.disconnects ? `, ${viewer.disconnects} disconnects` : ""}`;
}

/** One session, every viewer joined, `messages` messages: join times and the listed events. */
async function round(servers: TServers, viewers: TViewer[], agentId: string, environmentId: string, messages: number) {
  const { a, apiKey } = servers;
  const session = await api<{ id: string }>(a, apiKey, "POST", "/v1/sessions", { agent: agentId, environment_id: environmentId });
  for (const v of viewers) v.received.length = 0;
  const joinMs = await Promise.all(
    viewers.map(async (v) => {
      const start = performance.now();
      const ack = (await v.socket.timeout(30_000).emitWithAck("session:join", { sessionId: session.id, afterSeq: 0 })) as TJoinAck;
      if (!ack.ok) throw new Error(`session:join on ${v.on}: ${ack.error}`);
      return performance.now() - start;
    }),
  );
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = performance.now();
  for (let i = 0; i < messages; i++) await api(a, apiKey, "POST", `/v1/sessions/${session.id}/events`, userMessage(`fan-out message ${i}`));
  await untilIdle(a, apiKey, session.id);
  const atIdle = await listEvents(a, apiKey, session.id);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && viewers.some((v) => v.received.length < atIdle.length)) await sleep(10);
  const seconds = (performance.now() - start) / 1000;
  await observeFor(300, "no extra (duplicate) event to arrive");
  loop.disable();
  const final = await listEvents(a, apiKey, session.id); // what viewers are checked against
  await Promise.all(viewers.map((v) => v.socket.timeout(10_000).emitWithAck("session:leave", { sessionId: session.id })));
  return {
    sessionId: session.id,
    joinMs,
    listed: final.map((e) => e.id),
    afterIdle: final.slice(atIdle.length).map((e) => e.type),
    seconds,
    viewersLoopP99: loop.percentile(99) / 1e6,
  };
}

export async function benchSocketFanOut(servers: TServers): Promise<TSocketFanOut> {
  const { a, b, apiKey } = servers;
  const agent = await api<{ id: string }>(a, apiKey, "POST", "/v1/agents", { name: "fan-out agent", model: "claude-bench", system: "Answer briefly.", tools: [] });
  const environment = await api<{ id: string }>(a, apiKey, "POST", "/v1/environments", { name: "fan-out environment" });
  const viewers = await Promise.all(Array.from({ length: VIEWERS }, (_, i) => (i % 2 === 0 ? connect(a, "A", apiKey) : connect(b, "B", apiKey))));
  try {
    await round(servers, viewers, agent.id, environment.id, WARM_UP_MESSAGES);
    const { sessionId, joinMs, listed, afterIdle, seconds, viewersLoopP99 } = await round(servers, viewers, agent.id, environment.id, MESSAGES);

    const problems: string[] = [];
    viewers.forEach((v, i) => {
      const problem = check(v, listed, sessionId);
      if (problem) problems.push(`viewer ${i} (on ${v.on}): ${problem}`);
    });
    const delays = { A: [] as number[], B: [] as number[] };
    const arrivals = new Map<string, { processedAt: number; first: number; last: number }>();
    for (const v of viewers) {
      for (const e of v.received) {
        delays[v.on].push(e.arrivedAt - e.processedAt);
        const entry = arrivals.get(e.id) ?? { processedAt: e.processedAt, first: Infinity, last: -Infinity };
        entry.first = Math.min(entry.first, e.arrivedAt);
        entry.last = Math.max(entry.last, e.arrivedAt);
        arrivals.set(e.id, entry);
      }
    }
    const perEvent = [...arrivals.values()];
    return {
      events: listed.length,
      seconds,
      join: distribution(joinMs),
      delay: {
        all: distribution([...delays.A, ...delays.B]),
        onA: distribution(delays.A),
        onB: distribution(delays.B),
        first: distribution(perEvent.map((e) => e.first - e.processedAt)),
        spread: distribution(perEvent.map((e) => e.last - e.first)),
      },
      viewersLoopP99,
      problems,
      afterIdle,
      sessionId,
    };
  } finally {
    for (const v of viewers) v.socket.close();
  }
}
