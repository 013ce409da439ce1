import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter, type RateLimiter, type TRateLimit } from "@/lib/api/rate-limiter";
import { RedisRateLimiter } from "@/lib/api/redis-rate-limiter";
import { attempt, type TOutcome } from "@/tests/fixtures/rate-limit";
import { createLogger } from "@/lib/log";
import { closeRedisClient, connectRedisClient, type TRedisClient } from "@/lib/realtime/redis-clients";
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from "@/tests/fixtures/redis";
import { letTimePass, until } from "@/tests/fixtures/wait";

// The limiter on a real Redis, in this process: what every implementation must do (the same cases
// against the in-memory one), then what only the shared one does — one limit for two connections,
// as two web servers would hold — and what it does when its connection is gone.

const available = await requireRedis("the Redis rate limiter test");


const LIMIT: TRateLimit = { ratePerSecond: 1, burst: 4 };
const warnings: string[] = [];
const log = createLogger({ level: "warn", write: (_, line) => warnings.push(line) });
const clients: TRedisClient[] = [];

async function redisLimiter(keyPrefix: string): Promise<RedisRateLimiter> {
  const client = await connectRedisClient(TEST_REDIS_URL, { log, name: "rate-limit-test" });
  clients.push(client);
  return new RedisRateLimiter({ limit: LIMIT, client, log, keyPrefix });
}

afterAll(async () => {
  await Promise.all(clients.map((client) => closeRedisClient(client)));
});

const implementations: [string, () => Promise<RateLimiter>][] = [
  ["in memory", async () => new MemoryRateLimiter(LIMIT)],
  ["on Redis", () => redisLimiter(uniquePrefix("rate-limit"))],
];

describe.runIf(available)("every rate limiter", () => {
  for (const [name, make] of implementations) {
    it(`allows exactly the burst, then refuses with retry-after 1 s, per key (${name})`, async () => {
      const limiter = await make();
      const outcomes: TOutcome[] = [];
      for (let i = 0; i < 6; i++) outcomes.push(await attempt(limiter, "key_a"));
      expect(outcomes).toEqual(["ok", "ok", "ok", "ok", { retryAfterSeconds: 1 }, { retryAfterSeconds: 1 }]);
      expect(await attempt(limiter, "key_b")).toBe("ok");
    });
  }
});

describe.runIf(available)("the rate limiter on Redis", () => {
  it("holds one limit for two connections: the burst in all, alternating between them", async () => {
    const prefix = uniquePrefix("rate-limit");
    const [a, b] = [await redisLimiter(prefix), await redisLimiter(prefix)];
    const outcomes: TOutcome[] = [];
    for (let i = 0; i < 8; i++) outcomes.push(await attempt(i % 2 === 0 ? a : b, "key_shared"));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(LIMIT.burst);
    expect(outcomes.slice(0, LIMIT.burst).every((o) => o === "ok")).toBe(true);
  });

  it("lets a client through again once the retry-after it gave has passed (Redis keeps the time)", async () => {
    const limiter = await redisLimiter(uniquePrefix("rate-limit"));
    let refusal: TOutcome = "ok";
    while (refusal === "ok") refusal = await attempt(limiter, "key_waits");
    // Redis's clock decides, and it cannot be injected: wait what the server told the client to.
    await letTimePass(refusal.retryAfterSeconds * 1000, "the Retry-After the limiter gave, measured by Redis's clock");
    expect(await attempt(limiter, "key_waits")).toBe("ok");
  });

  it("answers at once, counted in this process, while its connection to Redis is down", async () => {
    // Redis behind a proxy this test can cut: the client then reconnects in the background.
    const sockets = new Set<Socket>();
    const proxy = createServer((socket) => {
      const upstream = connect(Number(new URL(TEST_REDIS_URL).port || 6379), new URL(TEST_REDIS_URL).hostname);
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      for (const end of [socket, upstream]) end.on("error", () => {}).on("close", () => (socket.destroy(), upstream.destroy()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = new URL(TEST_REDIS_URL);
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = await connectRedisClient(url.toString(), { log, name: "rate-limit-test" });
    try {
      const limiter = new RedisRateLimiter({ limit: LIMIT, client, log, keyPrefix: uniquePrefix("rate-limit") });
      expect(await attempt(limiter, "key_down")).toBe("ok"); // counted in Redis

      warnings.length = 0;
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await until("the client to see Redis down", () => !client.isReady);
      const startedAt = performance.now();
      const outcomes: TOutcome[] = [];
      for (let i = 0; i < 6; i++) outcomes.push(await attempt(limiter, "key_down"));
      // not held until Redis is back, nor for the one-second timeout: refused or allowed at once
      expect(performance.now() - startedAt).toBeLessThan(500);
      expect(outcomes).toEqual(["ok", "ok", "ok", "ok", { retryAfterSeconds: 1 }, { retryAfterSeconds: 1 }]);
      expect(warnings.filter((w) => w.includes("rate limit counted in this process only"))).toHaveLength(1);
    } finally {
      client.destroy(); // it would reconnect for as long as the process runs
      proxy.close();
    }
  });
});
