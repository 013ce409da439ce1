import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** True when `value` is a signing secret this platform made (the form `newSigningSecret` returns). */
export function isSigningSecret(value: string): boolean {
  return /^whsec_[A-Za-z0-9+/]{43}=$/.test(value);
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the event's id, the same on every
 * attempt, so a receiver can drop a repeat), `webhook-timestamp` (seconds) and
 * `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`), made by the
 * `standardwebhooks` package that receivers verify with (the SDK's `webhooks.unwrap` too).
 */
export function signedHeaders(options: { secret: string; messageId: string; body: string; at: Date }): Record<string, string> {
  const signature = new Webhook(options.secret).sign(options.messageId, options.at, options.body);
  return {
    "webhook-id": options.messageId,
    "webhook-timestamp": String(Math.floor(options.at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}
