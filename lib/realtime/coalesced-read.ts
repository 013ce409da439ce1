/**
 * One read of a key shared by every caller that asks for it while an earlier read of that key is
 * under way: they wait for the next read, started once the running one settles, and all take its
 * answer. A burst of N identical reads (N viewers joining one session at once) costs at most two
 * queries instead of N, and no caller is ever answered with a read that started before it asked —
 * what a caller gets is as fresh as a read of its own would have been (a key revoked before the
 * call is seen revoked).
 *
 * Written here rather than taken from a library: DataLoader-style loaders share the read in flight
 * (an answer older than the call), which an authorization check must not do.
 */
export function coalescedReads<TKey, TValue>(read: (key: TKey) => Promise<TValue>): (key: TKey) => Promise<TValue> {
  /** Per key: the callers waiting for the read after the running one (null: none yet). */
  const running = new Map<TKey, { next: TDeferred<TValue> | null }>();

  const start = (key: TKey): Promise<TValue> => {
    const entry: { next: TDeferred<TValue> | null } = { next: null };
    running.set(key, entry);
    let result: Promise<TValue>;
    try {
      result = read(key);
    } catch (error) {
      result = Promise.reject(error);
    }
    const settled = () => {
      const waiting = entry.next;
      if (!waiting) return void running.delete(key);
      waiting.resolve(start(key));
    };
    result.then(settled, settled);
    return result;
  };

  return (key) => {
    const entry = running.get(key);
    if (!entry) return start(key);
    entry.next ??= deferred<TValue>();
    return entry.next.promise;
  };
}

type TDeferred<T> = { promise: Promise<T>; resolve(value: Promise<T>): void };

function deferred<T>(): TDeferred<T> {
  let resolve!: (value: Promise<T>) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
