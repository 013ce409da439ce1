/**
 * `npm run bench:ttft`: the latency the platform adds to the first token of a turn. The real
 * production server (`server.ts`, a child process) with its default in-process harness, on
 * PostgreSQL (a scratch database, when reachable) and on the embedded PGlite, its model the scripted
 * Messages API server running in this process with a fixed first-token delay. Per turn, on one
 * session, through the official `@anthropic-ai/sdk`:
 *
 * - through the platform: from just before `client.beta.sessions.events.send(…)` to the first
 *   `event_delta` of the `agent.message` on an SSE stream opened before the turns
 *   (`client.beta.sessions.events.stream(id, { event_deltas: ["agent.message"] })`);
 * - direct: from just before `client.messages.stream(…)` to its first text delta, against the same
 *   scripted server, with the very request the harness sent for that turn (same size, same parse).
 *
 * Both are measured in the same run, turn by turn (direct right after the platform's turn went
 * idle), so the machine's load weighs on both alike; the added latency is the per-turn difference.
 * The scripted server notes when each request reaches it, which splits each path into "before the
 * model request arrives" and "from its arrival to the first delta at the client".
 *
 * Prints figures and the goal, "met" / "NOT met"; never fails on it.
 * Knobs: BENCH_TTFT_TURNS (40), BENCH_TTFT_FIRST_TOKEN_MS (25), BENCH_TTFT_DATABASES ("postgres,pglite").
 */
import { availableParallelism } from "node:os";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { echoResponder, startMessagesApiServer, type MessagesRequest } from "@/tests/fixtures/messages-api";
import { postgresReachable } from "@/tests/fixtures/postgres";
import { letTimePass, withDeadline } from "@/tests/fixtures/wait";
import { buildIfStale, say, startBenchServer, type TDatabase } from "./api/server";
import { verdict } from "./harness/common";
import { fmt, percentile, printTable } from "./stats";

const TURNS = Number(process.env.BENCH_TTFT_TURNS ?? 40);
const FIRST_TOKEN_MS = Number(process.env.BENCH_TTFT_FIRST_TOKEN_MS ?? 25);
const WARM_UP = 5;
/** A user's pause between the end of one turn and the next message (the direct call runs first). */
const THINK_MS = 20;
const GOAL = { p50: 10, p95: 25 };
const NAMES: Record<TDatabase, string> = { pglite: "PGlite (embedded)", postgres: "PostgreSQL" };

type TTurnSample = {
  /** send → first agent.message delta on the SSE stream. */
  via: number;
  /** send → the model request reaching the scripted server. */
  viaToModel: number;
  /** send → the SDK's send call returned. */
  sendReturned: number;
  /** messages.stream → its first text delta. */
  direct: number;
  directToModel: number;
};

/** When each request reached the scripted server (this process's clock), in arrival order. */
const arrivals: number[] = [];
const api = await startMessagesApiServer({
  firstTokenDelayMs: FIRST_TOKEN_MS,
  respond: (request: MessagesRequest) => {
    arrivals.push(performance.now());
    return echoResponder(request);
  },
});

/** An SSE stream of the session, open before the turns: resolves waiters on the first delta and on idle. */
async function openStream(client: Anthropic, sessionId: string) {
  const stream = await client.beta.sessions.events.stream(sessionId, { event_deltas: ["agent.message"] });
  let onDelta: ((at: number) => void) | undefined;
  let onIdle: (() => void) | undefined;
  const done = (async () => {
    for await (const event of stream) {
      const at = performance.now();
      if (event.type === "event_delta") {
        onDelta?.(at);
        onDelta = undefined;
      } else if (event.type === "session.status_idle") {
        onIdle?.();
        onIdle = undefined;
      }
    }
  })().catch(() => {});
  return {
    nextDelta: () => new Promise<number>((resolve) => (onDelta = resolve)),
    nextIdle: () => new Promise<void>((resolve) => (onIdle = resolve)),
    async close() {
      stream.controller.abort();
      await done;
    },
  };
}

/** One turn through the platform, then the same request straight to the scripted server. */
async function oneTurn(client: Anthropic, direct: Anthropic, sessionId: string, stream: Awaited<ReturnType<typeof openStream>>, i: number): Promise<TTurnSample> {
  const firstDelta = stream.nextDelta();
  const idle = stream.nextIdle();
  const arrivalIndex = arrivals.length;
  const start = performance.now();
  await client.beta.sessions.events.send(sessionId, say(`turn ${i}: how are you?`));
  const sendReturned = performance.now() - start;
  const via = (await withDeadline(`turn ${i}: the first agent.message delta`, firstDelta, 30_000)) - start;
  await withDeadline(`turn ${i}: the session going idle`, idle, 30_000);
  const viaToModel = arrivals[arrivalIndex]! - start;

  // the very request the harness sent, sent directly
  const { stream: _stream, ...params } = JSON.parse(api.requests.at(-1)!.rawBody) as MessageCreateParamsNonStreaming & { stream?: boolean };
  const directArrival = arrivals.length;
  const directStart = performance.now();
  let directFirst: number | undefined;
  for await (const event of direct.messages.stream(params)) {
    if (directFirst === undefined && event.type === "content_block_delta" && event.delta.type === "text_delta") directFirst = performance.now();
  }
  if (directFirst === undefined) throw new Error(`turn ${i}: the direct call streamed no text`);
  await letTimePass(THINK_MS, "a user's pause before the next message");
  return { via, viaToModel, sendReturned, direct: directFirst - directStart, directToModel: arrivals[directArrival]! - directStart };
}

async function benchDatabase(database: TDatabase): Promise<TTurnSample[]> {
  console.log(`  ${NAMES[database]}: starting the server…`);
  const server = await startBenchServer(database, api.url);
  const client = server.newClient();
  const direct = new Anthropic({ apiKey: "bench-key", baseURL: api.url, maxRetries: 0 });
  try {
    const session = await client.beta.sessions.create({ agent: server.agentId, environment_id: server.environmentId });
    const stream = await openStream(client, session.id);
    try {
      const samples: TTurnSample[] = [];
      for (let i = 0; i < WARM_UP + TURNS; i++) {
        const sample = await oneTurn(client, direct, session.id, stream, i);
        if (i >= WARM_UP) samples.push(sample);
      }
      return samples;
    } finally {
      await stream.close();
    }
  } finally {
    await server.app.stop();
  }
}

console.log(
  `bench:ttft — Node ${process.version}, ${availableParallelism()} cores; server, scripted model and client on this machine; ` +
    `${TURNS} turns (after ${WARM_UP} warm-up turns) on one session, first token after ${FIRST_TOKEN_MS} ms`,
);
buildIfStale();
const wanted = (process.env.BENCH_TTFT_DATABASES ?? "postgres,pglite").split(",").map((s) => s.trim()) as TDatabase[];
const databases: TDatabase[] = [];
if (wanted.includes("postgres")) {
  const pg = await postgresReachable();
  if (pg.ok) databases.push("postgres");
  else console.log(`PostgreSQL unreachable (${pg.reason}): not measured`);
}
if (wanted.includes("pglite")) databases.push("pglite");

const results: Array<{ database: TDatabase; samples: TTurnSample[] }> = [];
try {
  for (const database of databases) results.push({ database, samples: await benchDatabase(database) });
} finally {
  await api.close();
}

const stats = (values: number[]) => [fmt(percentile(values, 50), 1), fmt(percentile(values, 95), 1), fmt(Math.max(...values), 1)];
printTable(
  `Time to the first token (ms), ${TURNS} turns; first token ${FIRST_TOKEN_MS} ms after the request reaches the scripted server`,
  ["database", "path", "p50", "p95", "max"],
  results.flatMap(({ database, samples }) => {
    const col = (key: keyof TTurnSample) => samples.map((s) => s[key]);
    const diff = (a: keyof TTurnSample, b: keyof TTurnSample) => samples.map((s) => s[a] - s[b]);
    return [
      [NAMES[database], "via the platform: send → first agent.message delta on SSE", ...stats(col("via"))],
      [NAMES[database], "direct: messages.stream → first text delta", ...stats(col("direct"))],
      [NAMES[database], "ADDED (per turn: via − direct)", ...stats(diff("via", "direct"))],
      [NAMES[database], "  of which before the model request (send → request at model, − direct's)", ...stats(diff("viaToModel", "directToModel"))],
      [NAMES[database], "  of which after it (request at model → delta at client, − direct's)", ...stats(samples.map((s) => s.via - s.viaToModel - (s.direct - s.directToModel)))],
      [NAMES[database], "send → the SDK's send call returned", ...stats(col("sendReturned"))],
    ];
  }),
);
console.log(`\nGoal: added latency ≤ ${GOAL.p50} ms p50, ≤ ${GOAL.p95} ms p95`);
for (const { database, samples } of results) {
  const added = samples.map((s) => s.via - s.direct);
  const p50 = percentile(added, 50);
  const p95 = percentile(added, 95);
  console.log(`  ${NAMES[database].padEnd(18)} p50 ${fmt(p50, 1)} ms — ${verdict(p50 <= GOAL.p50)}; p95 ${fmt(p95, 1)} ms — ${verdict(p95 <= GOAL.p95)}`);
}
