/**
 * `npm run bench:tracing`: what traces cost the harness per turn, tracing off vs on — section 4 of
 * `npm run bench:harness`, on its own (tests/bench/harness/tracing-overhead.ts says how it is measured).
 * Knobs: BENCH_ROUNDS (40), BENCH_TURNS_PER_ROUND (10).
 */
import { benchTracingOverhead } from "./harness/tracing-overhead";

await benchTracingOverhead();
