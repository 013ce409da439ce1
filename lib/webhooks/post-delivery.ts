import "server-only";
import { webhookEnvelope } from "./envelope";
import type { TAttemptOutcome, TClaimedDelivery } from "./outbox";
import { signedHeaders } from "./sign";

/** How much of a receiver's answer is kept with the delivery (and shown in the web app). */
export const RESPONSE_SNIPPET_CHARS = 1024;

export type TPostOptions = {
  /** The endpoint's signing secret, opened. Never logged, never stored with the attempt. */
  secret: string;
  timeoutMs: number;
  /** Aborts the attempt (the process is stopping): it then counts as failed. */
  signal?: AbortSignal;
  /** `fetch` (injected in unit tests). */
  fetch?: typeof fetch;
  now?: () => Date;
};

/**
 * One attempt: POSTs the envelope, signed, to the endpoint, and reads the start of the answer.
 * A 2xx is a delivery; anything else (another status, a redirect, which is not followed, a
 * network error, no answer within `timeoutMs`) is a failed attempt. Never throws.
 */
export async function postDelivery(delivery: TClaimedDelivery, options: TPostOptions): Promise<TAttemptOutcome> {
  const body = JSON.stringify(webhookEnvelope(delivery));
  const headers = { "content-type": "application/json", "user-agent": "open-managed-agents-webhooks", ...signedHeaders({ secret: options.secret, messageId: delivery.eventId, body, at: (options.now ?? (() => new Date()))() }) };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await (options.fetch ?? fetch)(delivery.url, { method: "POST", headers, body, redirect: "manual", signal });
    const responseBody = await readSnippet(response).catch(() => null);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, responseStatus: response.status, responseBody, error: ok ? null : `the endpoint answered ${response.status}` };
  } catch (error) {
    const error_ = timeout.aborted
      ? `no answer within ${options.timeoutMs} ms`
      : options.signal?.aborted
        ? "no answer before this process stopped"
        : `the request failed (${causeOf(error)})`;
    return { ok: false, responseStatus: null, responseBody: null, error: error_ };
  }
}

/** The first RESPONSE_SNIPPET_CHARS characters of the body; the rest is not read. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < RESPONSE_SNIPPET_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, RESPONSE_SNIPPET_CHARS);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
