import "server-only";
import type { TWebhookEventRecord } from "./envelope";
import type { TAttemptOutcome, TClaimedDelivery, WebhookOutbox } from "./outbox";

export type TMemoryDelivery = TWebhookEventRecord & {
  id: string;
  endpointId: string;
  url: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastOutcome: TAttemptOutcome | null;
};

/** The outbox in memory, on an injected clock (unit tests of the dispatcher). */
export class InMemoryWebhookOutbox implements WebhookOutbox {
  readonly rows: TMemoryDelivery[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  add(row: Omit<TMemoryDelivery, "status" | "attempts" | "nextAttemptAt" | "leaseOwner" | "leaseExpiresAt" | "lastOutcome">): TMemoryDelivery {
    const full: TMemoryDelivery = { ...row, status: "pending", attempts: 0, nextAttemptAt: this.now(), leaseOwner: null, leaseExpiresAt: null, lastOutcome: null };
    this.rows.push(full);
    return full;
  }

  async claim(options: { owner: string; limit: number; leaseMs: number }): Promise<TClaimedDelivery[]> {
    const now = this.now();
    const due = this.rows
      .filter((r) => r.status === "pending" && r.nextAttemptAt <= now && (r.leaseExpiresAt === null || r.leaseExpiresAt < now))
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .slice(0, options.limit);
    for (const row of due) {
      row.leaseOwner = options.owner;
      row.leaseExpiresAt = now + options.leaseMs;
    }
    const secret = { ciphertext: new Uint8Array(), iv: new Uint8Array(), tag: new Uint8Array(), keyId: "memory" };
    return due.map((r) => ({ ...pick(r), secret }));
  }

  async record(options: { id: string; owner: string; outcome: TAttemptOutcome; retryInMs: number | null }): Promise<boolean> {
    const row = this.rows.find((r) => r.id === options.id);
    if (!row || row.leaseOwner !== options.owner) return false;
    const now = this.now();
    row.attempts += 1;
    row.lastOutcome = options.outcome;
    row.leaseOwner = null;
    row.leaseExpiresAt = null;
    if (options.outcome.ok) row.status = "delivered";
    else if (options.retryInMs === null) row.status = "failed";
    else {
      row.status = "pending";
      row.nextAttemptAt = now + options.retryInMs;
    }
    return true;
  }
}

function pick(r: TMemoryDelivery): Omit<TClaimedDelivery, "secret"> {
  return { id: r.id, endpointId: r.endpointId, url: r.url, attempts: r.attempts, eventId: r.eventId, eventType: r.eventType, subjectId: r.subjectId, threadId: r.threadId, occurredAt: r.occurredAt, teamId: r.teamId };
}
