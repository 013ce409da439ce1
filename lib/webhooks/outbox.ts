import "server-only";
import type { TWebhookEventRecord } from "./envelope";

/** A due delivery, claimed by one dispatcher until `leaseExpiresAt`: what one attempt needs. */
export type TClaimedDelivery = TWebhookEventRecord & {
  id: string;
  endpointId: string;
  url: string;
  /** The endpoint's sealed signing secret (opened with the vault cipher, bound to `endpointId`). */
  secret: { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array; keyId: string };
  /** Attempts made before this one. */
  attempts: number;
};

/** What one attempt came to. `responseBody`: the start of the receiver's answer, cut. */
export type TAttemptOutcome = { ok: boolean; responseStatus: number | null; responseBody: string | null; error: string | null };

/**
 * The webhook outbox: rows written with the events they announce, claimed with a lease so that
 * several processes deliver each one once, and the result of each attempt. Implementations:
 * `PrismaWebhookOutbox` (the `WebhookDelivery` table) and `InMemoryWebhookOutbox` (unit tests).
 */
export interface WebhookOutbox {
  /**
   * Leases up to `limit` deliveries that are pending, due, and not leased by a live lease, to
   * `owner` for `leaseMs`; oldest due first. Two claims never return the same row while its lease lives.
   */
  claim(options: { owner: string; limit: number; leaseMs: number }): Promise<TClaimedDelivery[]>;
  /**
   * Records an attempt of a delivery `owner` has leased, and releases it: `delivered` when it
   * succeeded, `pending` again in `retryInMs` when it failed and may be retried, `failed` when
   * `retryInMs` is null. False, with nothing written, when the lease is no longer `owner`'s.
   */
  record(options: { id: string; owner: string; outcome: TAttemptOutcome; retryInMs: number | null }): Promise<boolean>;
}
