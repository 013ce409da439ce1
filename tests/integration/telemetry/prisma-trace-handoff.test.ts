import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { PrismaTraceHandoff } from "@/lib/telemetry/prisma-trace-handoff";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { createTestSession, seedSessionPrereqs } from "@/tests/fixtures/seed";

const postgres = await requirePostgres("the trace hand-off on PostgreSQL");
const PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const LATER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe.each<TDatabaseKind>(postgres ? ["pglite", "postgres"] : ["pglite"])("the trace hand-off through the database (%s)", (kind) => {
  let test: TTestDatabase;
  let handoff: PrismaTraceHandoff;
  let sessionId: string;

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    handoff = new PrismaTraceHandoff(test.db.prisma);
    sessionId = await createTestSession(new PrismaSessionStore(test.db.prisma), await seedSessionPrereqs(test.db.prisma));
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it("gives the turn the latest waking request's context, once", async () => {
    expect(await handoff.take(sessionId)).toBeUndefined();
    await handoff.put(sessionId, { traceparent: PARENT });
    await handoff.put(sessionId, { traceparent: LATER, tracestate: "vendor=1" });
    expect(await handoff.take(sessionId)).toEqual({ traceparent: LATER, tracestate: "vendor=1" });
    expect(await handoff.take(sessionId)).toBeUndefined();
  });

  it("never fails the request it serves: a session that does not exist is left to the append to report", async () => {
    await expect(handoff.put("sesn_missing", { traceparent: PARENT })).resolves.toBeUndefined();
    expect(await handoff.take("sesn_missing")).toBeUndefined();
  });
});
