import type { TRedisClient } from "./redis-clients";

/**
 * Versions for presence broadcasts: strictly increasing across every server that shares the
 * clock. A server takes a version before it reads a room's members, so of all the broadcasts for
 * a room, the one with the highest version read the members last — clients keep that one.
 * Versions are microseconds-based, so they keep increasing across restarts.
 */
export interface PresenceClock {
  next(): Promise<number>;
}

/** One process's clock (Socket.io without the Redis adapter). */
export class LocalPresenceClock implements PresenceClock {
  private last = 0;

  async next(): Promise<number> {
    this.last = Math.max(Date.now() * 1000, this.last + 1);
    return this.last;
  }
}

// Redis's own time in microseconds, or one more than the last version given, whichever is higher.
const NEXT_VERSION_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local v = math.max(now, last + 1)
redis.call('SET', KEYS[1], string.format('%.0f', v))
return string.format('%.0f', v)
`;

/** The clock of every server sharing one Redis server: a single key holding the last version. */
export class RedisPresenceClock implements PresenceClock {
  constructor(
    private readonly client: TRedisClient,
    private readonly key: string,
  ) {}

  async next(): Promise<number> {
    const reply = await this.client.eval(NEXT_VERSION_SCRIPT, { keys: [this.key] });
    return Number(reply);
  }
}
