import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaDirectSql } from "@/lib/db/direct-sql";
import { openDatabase } from "@/lib/db/open-database";
import { INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { describeSessionStoreContract } from "@/tests/contracts/session-store.contract";
import { failAt } from "@/tests/fixtures/direct-sql";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { agentMessage, createTestSession, newSessionInput, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
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
    it("leaves no event and no state change when the transaction fails after writing both", async () => {
      const id = await createTestSession(store, prereqs);
      await store.appendEvents(id, [agentMessage("before")]);
      // The last write of the append transaction (the idempotency record) fails: by then the
      // events are inserted and the session's state columns updated.
      const failingStore = new PrismaSessionStore(test.db.prisma, failAt(sql(), 'INSERT INTO "SessionAppend"'));
      await expect(
        failingStore.appendEvents(id, [{ type: "session.status_running" }, agentMessage("lost")], { idempotencyKey: "k1" }),
      ).rejects.toThrow(/injected failure/);
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
