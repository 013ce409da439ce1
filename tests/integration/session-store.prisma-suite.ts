import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaDirectSql } from "@/lib/db/direct-sql";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { openDatabase } from "@/lib/db/open-database";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { describeSessionStoreContract } from "@/tests/contracts/session-store.contract";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, newSessionInput, seedSessionPrereqs, userMessage, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { holdSessionLock, withFault } from "./session-store.faults";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

/**
 * The SessionStore contract plus what only a real database can show, for one kind of database,
 * with the log's statements on the driver (`Database.sql`, as the server runs them) or through
 * Prisma's client (the store's fallback).
 */
export function describePrismaSessionStore(kind: TDatabaseKind, via: "driver" | "prisma") {
  let test: TTestDatabase;
  let store: PrismaSessionStore;
  let prereqs: TSessionPrereqs;

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    store = new PrismaSessionStore(test.db.prisma, sql());
    prereqs = await seedSessionPrereqs(test.db.prisma);
  });
  const sql = () => (via === "driver" ? test.db.sql : prismaDirectSql(test.db.prisma));
  afterAll(async () => {
    await test?.cleanup();
  });

  describeSessionStoreContract(`${kind}, via ${via}`, () => ({
    store,
    newSession: () => createTestSession(store, prereqs),
    sessionInput: () => newSessionInput(prereqs),
  }));

  describe(`PrismaSessionStore on ${kind}, via ${via}`, () => {
    it("leaves no event and no state change when the append fails after writing both", async () => {
      const id = await createTestSession(store, prereqs);
      await store.appendEvents(id, [agentMessage("before")]);
      // The append's statement fails at its very end: by then the events are inserted, the
      // session's state columns updated and the idempotency record written.
      const failing = withFault(test.db, { table: "SessionAppend", when: `NEW."idempotencyKey" = 'k1'`, fault: "fail" }, () =>
        store.appendEvents(id, [{ type: "session.status_running" }, agentMessage("lost")], { idempotencyKey: "k1" }),
      );
      await expect(failing).rejects.toThrow(/injected failure/);
      const events = await store.getEvents(id);
      expect(events.map((e) => e.body)).toEqual([agentMessage("before")]);
      expect((await store.getSession(id))?.state).toEqual({ ...INITIAL_SESSION_STATE, lastSeq: 1 });
      const row = await test.db.prisma.session.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("idle");
      // and the key is still free: the retry goes through
      const retry = await store.appendEvents(id, [{ type: "session.status_running" }, agentMessage("kept")], { idempotencyKey: "k1" });
      expect(retry.duplicate).toBe(false);
      expect(retry.events.map((e) => e.seq)).toEqual([2, 3]);
    });

    it("writes a new session and what announces it (the outbox hook) in one transaction: both or neither", async () => {
      // the announcement is a row of a table of its own here, so the test reads it back
      await test.db.prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "AnnouncedSession" ("id" text PRIMARY KEY, "teamId" text NOT NULL)`);
      const announcing = (fail: boolean) =>
        new PrismaSessionStore(test.db.prisma, sql(), undefined, {
          outboxSql: () => null,
          createdSql: (created) =>
            fail
              ? Prisma.sql`INSERT INTO "AnnouncedSession" SELECT "id", NULL FROM ${created} AS c`
              : Prisma.sql`INSERT INTO "AnnouncedSession" SELECT "id", "teamId" FROM ${created} AS c`,
        });
      const announced = () => test.db.prisma.$queryRaw<Array<{ id: string; teamId: string }>>`SELECT "id", "teamId" FROM "AnnouncedSession"`;

      const created = await announcing(false).createSession({ ...newSessionInput(prereqs), createdBy: "user_starter" });
      expect(await announced()).toContainEqual({ id: created.id, teamId: prereqs.teamId });
      expect((await test.db.prisma.session.findUniqueOrThrow({ where: { id: created.id } })).createdBy).toBe("user_starter");

      const input = { ...newSessionInput(prereqs), id: newId("session") };
      await expect(announcing(true).createSession(input)).rejects.toThrow(/null value|not-null|violates/i);
      expect(await test.db.prisma.session.findUnique({ where: { id: input.id } })).toBeNull();
      expect((await announced()).map((row) => row.id)).not.toContain(input.id);
    });

    it("folds each batch onto the locked state in SQL exactly as foldSessionState does", async () => {
      const id = await createTestSession(store, prereqs);
      // priced at 1,000 nano-dollars an input token, except the unpriced 7 (a model without a list price)
      const end = (input: number) => ({
        type: "span.model_request_end",
        model_request_start_id: "sevt_start",
        is_error: false,
        model_usage: { input_tokens: input, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 0 },
        list_cost_nano_usd: input === 7 ? null : input * 1000,
      });
      const idle = (type: "end_turn" | "requires_action") =>
        ({ type: "session.status_idle", stop_reason: type === "end_turn" ? { type } : { type, event_ids: ["sevt_use"] }, stop_details: null });
      const batches: unknown[][] = [
        [agentMessage("no state change")],
        [{ type: "session.status_running" }, end(10)],
        [end(5), idle("end_turn"), agentMessage("after idle")],
        [{ type: "session.status_rescheduled" }],
        [{ type: "session.status_running" }, idle("requires_action"), { type: "session.status_rescheduled" }],
        [end(7), { type: "session.status_terminated" }, { type: "session.status_running" }, end(100)],
        [{ type: "session.status_running" }, idle("end_turn"), end(1000)],
      ];
      let expected = INITIAL_SESSION_STATE;
      for (const batch of batches) {
        const { state, events } = await store.appendEvents(id, batch);
        expected = foldSessionState(expected, events);
        expect(state).toEqual(expected);
        expect((await store.getSession(id))?.state).toEqual(expected);
      }
      expect(expected).toMatchObject({ status: "terminated", stopReason: { type: "requires_action" }, lastSeq: 17 });
      expect(expected.usage).toEqual({ input_tokens: 22, output_tokens: 6, cache_read_input_tokens: 9, cache_creation_input_tokens: 0, list_cost_nano_usd: 15_000, unpriced_requests: 1 });
      expect(foldSessionState(INITIAL_SESSION_STATE, await store.getEvents(id))).toEqual(expected);
    });

    it("refuses an append with ifOpen to an archived session, and writes nothing", async () => {
      const id = await createTestSession(store, prereqs);
      await test.db.prisma.session.update({ where: { id }, data: { archivedAt: new Date() } });
      const refused = store.appendEvents(id, [userMessage("to the archive")], { ifOpen: { teamId: prereqs.teamId } });
      await expect(refused).rejects.toMatchObject({ name: "AppendRefusedError", reason: "archived" });
      // another team hears of no archive: the session is not theirs
      const foreign = store.appendEvents(id, [userMessage("x")], { ifOpen: { teamId: "team_other" } });
      await expect(foreign).rejects.toMatchObject({ name: "AppendRefusedError", reason: "other_team" });
      expect(await store.getEvents(id)).toEqual([]);
    });

    it.runIf(kind === "postgres")("answers a concurrent retry of an append with the same key as a duplicate, though its snapshot predates the first's commit", async () => {
      const id = await createTestSession(store, prereqs);
      // Both appends start while the session's row is locked elsewhere: their statements' snapshots
      // are taken before either commits, so the second cannot see the first's idempotency record.
      const lock = await holdSessionLock(test.target.kind === "postgres" ? test.target.url : "", id);
      const both = [1, 2].map(() => store.appendEvents(id, [userMessage("sent twice"), agentMessage("reply")], { idempotencyKey: "race" }));
      try {
        await lock.waiters(2);
      } finally {
        await lock.release();
      }
      const [a, b] = await Promise.all(both);
      expect([a!.duplicate, b!.duplicate].sort()).toEqual([false, true]);
      expect(b!.events.map((e) => e.id)).toEqual(a!.events.map((e) => e.id));
      expect((await store.getEvents(id)).map((e) => e.body)).toEqual([userMessage("sent twice"), agentMessage("reply")]);
      expect((await store.getSession(id))?.state.lastSeq).toBe(2);
    });

    it("refuses a duplicate (sessionId, seq) at the database level", async () => {
      const id = await createTestSession(store, prereqs);
      const { events } = await store.appendEvents(id, [agentMessage("one")]);
      await expect(
        test.db.prisma.sessionEvent.create({
          data: { id: "sevt_duplicate_seq", sessionId: id, seq: events[0]!.seq, type: "agent.message", payload: {} },
        }),
      ).rejects.toThrow();
    });
  });
}

/**
 * Kills a process appending to the log with SIGKILL, reopens the database and checks that every
 * event the process had reported as committed is there, with seq contiguous.
 */
export function describeRestartAfterKill(kind: "pglite-dir" | "postgres") {
  describe(`restart after SIGKILL (${kind})`, () => {
    it("keeps every committed event", async () => {
      const test = await openTestDatabase(kind);
      const prereqs = await seedSessionPrereqs(test.db.prisma);
      const sessionId = await createTestSession(new PrismaSessionStore(test.db.prisma), prereqs);
      const target = test.target;
      if (kind === "pglite-dir") await test.db.close(); // the child must own the data directory alone

      const child = spawn(process.execPath, [...NODE_HOOKS, "tests/fixtures/append-until-killed.ts", JSON.stringify(target), sessionId], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let reported = 0;
      await new Promise<void>((resolve, reject) => {
        let buffer = "";
        child.stdout.on("data", (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split("\n");
          buffer = lines.pop()!;
          for (const line of lines) {
            const m = /^committed (\d+)$/.exec(line);
            if (m) reported = Number(m[1]);
          }
          if (reported >= 300 && child.exitCode === null && !child.killed) {
            child.kill("SIGKILL");
          }
        });
        child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child exited without being killed (${signal})`))));
      });

      const reopened = kind === "pglite-dir" ? await openDatabase(target, { migrate: false }) : test.db;
      try {
        const store = new PrismaSessionStore(reopened.prisma);
        const events = await store.getEvents(sessionId, { limit: 10_000 });
        expect(reported).toBeGreaterThanOrEqual(300);
        expect(events.length).toBeGreaterThanOrEqual(reported);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
        expect((await store.getSession(sessionId))?.state.lastSeq).toBe(events.length);
        // the log is still appendable after the crash
        const { events: next } = await store.appendEvents(sessionId, [agentMessage("after restart")]);
        expect(next[0]!.seq).toBe(events.length + 1);
      } finally {
        if (kind === "pglite-dir") await reopened.close();
        await test.cleanup();
      }
    });
  });
}
