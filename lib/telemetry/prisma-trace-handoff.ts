import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TraceHandoff, TTraceCarrier } from "./trace-handoff";

/**
 * The hand-off of a waking request's trace context through the database (`SessionTraceContext`),
 * so that the turn continues the caller's trace whichever process runs it (the web server's
 * in-process worker or an `npm run worker`). One row per session, replaced by each waking request
 * and deleted by the turn that reads it. Tracing never fails a request or a turn: a hand-off that
 * cannot be written or read leaves the turn to start a trace of its own.
 */
export class PrismaTraceHandoff implements TraceHandoff {
  constructor(private readonly prisma: PrismaClient) {}

  async put(sessionId: string, carrier: TTraceCarrier): Promise<void> {
    const fields = { traceparent: carrier.traceparent, tracestate: carrier.tracestate ?? null };
    await this.prisma.sessionTraceContext
      .upsert({ where: { sessionId }, create: { sessionId, ...fields }, update: { ...fields, createdAt: new Date() } })
      .catch(() => undefined); // e.g. no such session: the append that follows says so
  }

  async take(sessionId: string): Promise<TTraceCarrier | undefined> {
    const rows = await this.prisma.$queryRaw<Array<{ traceparent: string; tracestate: string | null }>>`
      DELETE FROM "SessionTraceContext" WHERE "sessionId" = ${sessionId} RETURNING "traceparent", "tracestate"`.catch(() => []);
    const row = rows[0];
    return row ? { traceparent: row.traceparent, ...(row.tracestate ? { tracestate: row.tracestate } : {}) } : undefined;
  }
}
