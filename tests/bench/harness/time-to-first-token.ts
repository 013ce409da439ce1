/**
 * Time to first token, lazy vs eager sandbox provisioning. Each session gets "please use a tool";
 * the model (the real `@anthropic-ai/sdk` over HTTP/SSE against the scripted Messages API server,
 * with a fixed first-token delay) answers with a sentence and a `bash` call, then, after the tool
 * result, with a final sentence. Measured per session: from the start of `wake` to the first text
 * delta published on the event bus (TTFT), and to the end of `wake` (the whole turn). The sandbox
 * provider is the fake one with a set provisioning delay, so the difference is the architecture's.
 */
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { echoResponder, startMessagesApiServer } from "@/tests/fixtures/messages-api";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";
import { fmt, percentile, printTable } from "../stats";
import { AGENT_SNAPSHOT, change, inPool, logNormalDelays, say } from "./common";

export const FIRST_TOKEN_MS = 300;
const SESSIONS = Number(process.env.BENCH_TTFT_SESSIONS ?? 40);
const AT_ONCE = 8;
const FIXED_PROVISION_MS = 2_000;
const LOG_NORMAL = { medianMs: 1_000, sigma: 1, seed: 42 };

type TSample = { ttftMs: number; turnMs: number };

export async function benchTimeToFirstToken(): Promise<void> {
  console.log(
    `\n1. Time to first token — ${SESSIONS} sessions per mode, ${AT_ONCE} at a time; real SDK over HTTP/SSE, ` +
      `first token after ${FIRST_TOKEN_MS} ms; FAKE sandbox provider with a set provisioning delay (no real sandbox), ` +
      `so the figures isolate lazy vs eager provisioning.`,
  );
  const api = await startMessagesApiServer({ firstTokenDelayMs: FIRST_TOKEN_MS, respond: echoResponder });
  const bus = new InMemoryEventBus();
  const base = {
    store: withPublishing(new InMemorySessionStore(), bus),
    model: new AnthropicModelClient({ apiKey: "bench-key", baseURL: api.url }),
    bus,
  };

  async function oneSession(provisionDelayMs: number, provisionEagerly: boolean): Promise<TSample> {
    const provider = new FakeSandboxProvider({ provisionDelayMs, exec: () => ({ exitCode: 0, stdout: "hello\n" }) });
    const deps: THarnessDeps = { ...base, sandboxes: new SandboxPool(provider), provisionEagerly };
    const { id } = await deps.store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot: AGENT_SNAPSHOT }));
    await deps.store.appendEvents(id, [say("please use a tool")]);
    let firstToken: number | undefined;
    const unsubscribe = bus.subscribe(id, (message) => {
      if (firstToken === undefined && message.kind === "preview" && message.preview.type === "event_delta") firstToken = performance.now();
    });
    const start = performance.now();
    await wake(id, deps);
    const end = performance.now();
    unsubscribe();
    if (firstToken === undefined || provider.provisionCalls.length !== 1) throw new Error(`session ${id}: no token, or not one sandbox`);
    return { ttftMs: firstToken - start, turnMs: end - start };
  }

  const distributions = [
    { name: `fixed ${FIXED_PROVISION_MS.toLocaleString("en")} ms`, delays: Array<number>(SESSIONS).fill(FIXED_PROVISION_MS) },
    {
      name: `log-normal, median ${LOG_NORMAL.medianMs.toLocaleString("en")} ms, σ ${LOG_NORMAL.sigma}`,
      delays: logNormalDelays(SESSIONS, LOG_NORMAL.medianMs, LOG_NORMAL.sigma, LOG_NORMAL.seed),
    },
  ];
  try {
    await inPool(Array<number>(AT_ONCE).fill(0), AT_ONCE, () => oneSession(0, false)); // warm-up: JIT, connections
    const rows: string[][] = [];
    const summary: string[] = [];
    for (const { name, delays } of distributions) {
      const lazy = await inPool(delays, AT_ONCE, (delay) => oneSession(delay, false));
      const eager = await inPool(delays, AT_ONCE, (delay) => oneSession(delay, true));
      const p = (samples: TSample[], key: keyof TSample, q: number) => percentile(samples.map((s) => s[key]), q);
      const provision = `${fmt(percentile(delays, 50), 0)} / ${fmt(percentile(delays, 95), 0)}`;
      for (const [mode, samples] of [["eager", eager], ["lazy", lazy]] as const) {
        rows.push([name, mode, provision, fmt(p(samples, "ttftMs", 50), 0), fmt(p(samples, "ttftMs", 95), 0), fmt(p(samples, "turnMs", 50), 0), fmt(p(samples, "turnMs", 95), 0)]);
      }
      summary.push(
        `  ${name.padEnd(36)} lazy vs eager TTFT: p50 ${change(p(lazy, "ttftMs", 50), p(eager, "ttftMs", 50))}, ` +
          `p95 ${change(p(lazy, "ttftMs", 95), p(eager, "ttftMs", 95))}` +
          `   (whole turn: p50 ${change(p(lazy, "turnMs", 50), p(eager, "turnMs", 50))})`,
      );
    }
    printTable(
      "Time to first token (ms; measured from the start of wake)",
      ["sandbox provisioning", "mode", "provision p50 / p95", "TTFT p50", "TTFT p95", "turn p50", "turn p95"],
      rows,
    );
    console.log("\nLazy provisioning, change in time to first token (published claim: p50 −60%, p95 −90%):");
    for (const line of summary) console.log(line);
  } finally {
    await api.close();
  }
}
