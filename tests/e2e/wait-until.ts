import { WAIT_MS } from "@/tests/fixtures/browser";
import { until } from "@/tests/fixtures/wait";

/** Waits until `condition` holds in the page, checking every 50 ms, for a browser test's wide deadline. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  await until(what, condition, { timeoutMs, intervalMs: 50 });
}
