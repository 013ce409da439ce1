import type { createClient } from "redis";
import type { Logger } from "@/lib/log";

export type TRedisClient = ReturnType<typeof createClient>;

/** A publishing connection and a subscribing one (a subscribed connection can do nothing else). */
export type TRedisPair = { pub: TRedisClient; sub: TRedisClient; close(): Promise<void> };

/** Connection attempts at start-up before giving up; once connected, reconnection never gives up. */
const CONNECT_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 3_000;
const MAX_RECONNECT_DELAY_MS = 3_000;
/** The same connection error is logged at most this often while Redis stays down. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/** `host:port` of a Redis URL: what logs and errors show (never the password). */
export function redisLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "6379"}`;
}

/**
 * Connects a pair of clients to the Redis server at `url`. Fails after a few attempts when the
 * server cannot be reached at start-up (so a wrong REDIS_URL stops the process with one line);
 * after that, a lost connection is retried for as long as the process runs.
 */
export async function connectRedisPair(url: string, options: { log: Logger; name: string }): Promise<TRedisPair> {
  const [pub, sub] = await connectClients(url, options, 2);
  let closing: Promise<void> | undefined;
  return {
    pub: pub!,
    sub: sub!,
    close() {
      closing ??= Promise.all([quietly(pub!), quietly(sub!)]).then(() => undefined);
      return closing;
    },
  };
}

/**
 * One client for plain commands (no subscriptions), with the same policy as a pair: fails at
 * start-up when Redis cannot be reached, reconnects for as long as the process runs after that.
 * Close it with `closeRedisClient`.
 */
export async function connectRedisClient(url: string, options: { log: Logger; name: string }): Promise<TRedisClient> {
  const [client] = await connectClients(url, options, 1);
  return client!;
}

/** `count` clients under one policy: all connected, or none (each destroyed) and the error thrown. */
async function connectClients(url: string, options: { log: Logger; name: string }, count: number): Promise<TRedisClient[]> {
  const log = options.log.child({ component: options.name, redis: redisLabel(url) });
  let started = false;
  // Decision: the client library is loaded when a process first connects, not when it starts: a
  // process without REDIS_URL (the default) never pays for it (about 0.3 s of start-up here).
  const { createClient } = await import("redis");
  const clients = Array.from({ length: count }, () => newClient(createClient, url, () => started));
  for (const client of clients) watchErrors(client, log, () => started);
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  started = true;
  return clients;
}

export const closeRedisClient = (client: TRedisClient): Promise<void> => quietly(client);

function newClient(create: typeof createClient, url: string, started: () => boolean): TRedisClient {
  return create({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries, cause) => {
        if (!started() && retries >= CONNECT_ATTEMPTS) return new Error(`cannot connect to Redis at ${redisLabel(url)} (REDIS_URL): ${cause.message}`);
        return Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
      },
    },
  });
}

function watchErrors(client: TRedisClient, log: Logger, started: () => boolean): void {
  let lastLoggedAt = 0;
  let down = false;
  client.on("error", (error: Error) => {
    if (!started()) return; // start-up failures surface as connect()'s rejection
    down = true;
    if (Date.now() - lastLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    lastLoggedAt = Date.now();
    log.warn("redis connection error, retrying", { error });
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    lastLoggedAt = 0;
    log.info("redis connection restored");
  });
}

async function quietly(client: TRedisClient): Promise<void> {
  if (!client.isOpen) return;
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}
