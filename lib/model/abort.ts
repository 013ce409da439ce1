/**
 * Aborts, the way every `ModelClient` reports them: an `Error` named "AbortError" (so
 * `isAbortError` is true), whatever the underlying library threw.
 */
export function createAbortError(reason?: unknown): Error {
  const error = new Error("The model call was aborted.", reason === undefined ? undefined : { cause: reason });
  error.name = "AbortError";
  return error;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw createAbortError(signal.reason);
}

/** Resolves after `ms`; rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(createAbortError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Never resolves; rejects with an AbortError when `signal` aborts (never, without a signal). */
export function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(createAbortError(signal.reason));
    else signal.addEventListener("abort", () => reject(createAbortError(signal.reason)), { once: true });
  });
}
