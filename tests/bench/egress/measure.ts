import type { Send } from "./clients";

/** Milliseconds per request, one request at a time (after `warmup` unmeasured ones). */
export async function sequentialLatency(send: Send, path: string, requests: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await send(path);
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    await send(path);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** `requests` requests, `concurrency` at a time: requests per second and body megabytes (MiB) per second. */
export async function throughput(send: Send, path: string, requests: number, concurrency: number): Promise<{ rps: number; mbps: number }> {
  let next = 0;
  let bytes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        bytes += await send(path);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { rps: requests / seconds, mbps: bytes / (1024 * 1024) / seconds };
}
