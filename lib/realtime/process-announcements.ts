type TListener<T> = (value: T) => Promise<void>;

/**
 * A process-wide announcement channel (e.g. "a share link was revoked"): listeners registered by the
 * socket servers of this process hear what route handlers and actions announce. The listeners live
 * on `globalThis` under `Symbol.for("open-managed-agents.<name>")`, because the custom server
 * (loaded by tsx) and Next's bundled route code each load their own copy of every module, and an
 * announcement made by a route must reach the socket server the custom server started.
 */
export function processAnnouncements<T>(name: string): { on(listener: TListener<T>): () => void; announce(value: T): Promise<void> } {
  const key = Symbol.for(`open-managed-agents.${name}`);
  const listeners = (): Set<TListener<T>> => {
    const g = globalThis as typeof globalThis & { [key: symbol]: Set<TListener<T>> | undefined };
    return (g[key] ??= new Set());
  };
  return {
    on(listener) {
      listeners().add(listener);
      return () => void listeners().delete(listener);
    },
    /** Tells this process's listeners, and waits for them. Never rejects. */
    async announce(value) {
      await Promise.allSettled([...listeners()].map((listener) => listener(value)));
    },
  };
}
