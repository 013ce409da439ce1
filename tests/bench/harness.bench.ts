/**
 * `npm run bench:harness`: what the harness costs and what its design buys, in one run.
 *
 * 1. Time to first token with lazy vs eager sandbox provisioning (real SDK over HTTP/SSE, fake
 *    sandbox provider with a set provisioning delay), next to the published p50 −60% / p95 −90%.
 * 2. Harness overhead per turn beyond the model's own time, on the in-memory store, the embedded
 *    PGlite and PostgreSQL (when reachable), with the database statements per turn. Target: p50 < 5 ms.
 * 3. Sessions one process drives at once while they wait on the model, and memory per session.
 *    Target: ≥ 500.
 * 4. What tracing costs per turn: the same turns with tracing off and on (every decorator of
 *    lib/telemetry, spans exported to nowhere), both p50s and the overhead. Target: < 1 ms.
 *
 * Prints figures and "met" / "NOT met" against the targets; never fails on them.
 * Knobs: BENCH_TTFT_SESSIONS (40), BENCH_TURNS_PER_SESSION (20), BENCH_CONCURRENCY ("500,1000"),
 * BENCH_TRACING_ROUNDS (40).
 */
import { availableParallelism } from "node:os";
import { installStatementCounter } from "./round-trips/count-statements";
import { benchConcurrency } from "./harness/concurrency";
import { benchTimeToFirstToken } from "./harness/time-to-first-token";
import { benchTracingOverhead } from "./harness/tracing-overhead";
import { benchTurnOverhead } from "./harness/turn-overhead";

installStatementCounter();
console.log(`bench:harness — Node ${process.version}, ${availableParallelism()} cores`);
await benchTimeToFirstToken();
await benchTurnOverhead();
await benchConcurrency();
// last: it installs the global trace context manager
await benchTracingOverhead();
process.exit(0);
