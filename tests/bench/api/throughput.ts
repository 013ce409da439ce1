/**
 * Requests per second and latency of the two write calls clients make most, through the official
 * SDK: CLIENTS clients at once (an SDK instance each), REQUESTS requests per operation in all.
 *
 * - create-session: `POST /v1/sessions` (agent + environment, no initial events);
 * - send user.message: `POST /v1/sessions/{id}/events`, one message to each session just created.
 *   Each wakes the in-process harness, which runs a turn against the scripted model (instant
 *   answer) while the next requests arrive: the figure includes that competition for the CPU;
 * - send user.interrupt: the same call on the now idle sessions (the harness only records the
 *   session going idle again: a lighter wake).
 *
 * The harness is left to finish between operations, so each starts from a quiet server.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { inPool } from "../harness/common";
import { percentile, timed } from "../stats";
import { interrupt, say, untilSettled, type TBenchServer } from "./server";

export const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? 8);
export const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 500);
const WARM_UP = 40;

/**
 * `settledMs`, for the sends that start turns: how long after the last send was answered every
 * turn had ended. A harness that falls behind makes the sends look fast and this long (its turns
 * wait in the queue). `checkMs`: one look at every session once all are idle, the floor of
 * `settledMs` (it is measured by looking). `turnsPerSecond` counts the whole: REQUESTS turns from the first send to the last idle.
 */
export type TOperation = { name: string; perSecond: number; p50: number; p99: number; settledMs?: number; checkMs?: number; turnsPerSecond?: number };

/** Runs `call(client, i)` for i in 0…count−1, `clients.length` at a time, each lane on its own client. */
async function measure(clients: Anthropic[], count: number, call: (client: Anthropic, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const lane = async (client: Anthropic) => {
    while (next < count) {
      const i = next++;
      const [, ms] = await timed(() => call(client, i));
      latencies.push(ms);
    }
  };
  const [, totalMs] = await timed(() => Promise.all(clients.map(lane)));
  return { perSecond: (count / totalMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function benchThroughput(server: TBenchServer): Promise<TOperation[]> {
  const clients = Array.from({ length: CLIENTS }, () => server.newClient());
  const [admin] = clients as [Anthropic];
  const create = (client: Anthropic) => client.beta.sessions.create({ agent: server.agentId, environment_id: server.environmentId });

  // Warm-up: every route once per client and a few turns (module loading, JIT, connection pools).
  const warm = await inPool(Array<number>(WARM_UP).fill(0), CLIENTS, async (_, i) => (await create(clients[i % CLIENTS]!)).id);
  await inPool(warm, CLIENTS, (id, i) => clients[i % CLIENTS]!.beta.sessions.events.send(id, say(`warm-up ${i}`)));
  await inPool(warm, CLIENTS, (id, i) => clients[i % CLIENTS]!.beta.sessions.events.send(id, interrupt()));
  await untilSettled(admin, warm);

  const ids: string[] = new Array(REQUESTS);
  const created = await measure(clients, REQUESTS, async (client, i) => (ids[i] = (await create(client)).id));
  const messaged = await measure(clients, REQUESTS, (client, i) => client.beta.sessions.events.send(ids[i]!, say(`hello ${i}`)));
  const [, settledMs] = await timed(() => untilSettled(admin, ids));
  const [, checkMs] = await timed(() => untilSettled(admin, ids)); // one look at every session, all idle: the floor of settledMs
  const turnsPerSecond = (REQUESTS / (REQUESTS / messaged.perSecond + settledMs / 1000));
  const interrupted = await measure(clients, REQUESTS, (client, i) => client.beta.sessions.events.send(ids[i]!, interrupt()));
  await untilSettled(admin, ids);

  return [
    { name: "create-session", ...created },
    { name: "send user.message", ...messaged, settledMs, checkMs, turnsPerSecond },
    { name: "send user.interrupt", ...interrupted },
  ];
}
