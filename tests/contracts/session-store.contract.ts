import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { isId, newId } from "@/lib/ids";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { AppendRefusedError, LogMovedError, type SessionStore, type TNewSession, type TNewSessionRepository } from "@/lib/event-log/session-store";
import { agentMessage, userMessage } from "@/tests/fixtures/seed";

/**
 * The behaviour every SessionStore must have. Run against the in-memory store (unit), PGlite and
 * PostgreSQL (integration). `newSession` creates a fresh session and returns its id.
 */
export type TStoreHarness = { store: SessionStore; newSession(): Promise<string>; sessionInput(): TNewSession };

const repository = (id: string, position: number): TNewSessionRepository => ({
  id,
  position,
  url: `https://github.com/acme/r${position}`,
  mountPath: `/workspace/r${position}`,
  checkout: null,
  tokenCiphertext: null,
  tokenIv: null,
  tokenTag: null,
  keyId: null,
});

const usageEnd = (start: string, input: number, output: number) => ({
  type: "span.model_request_end",
  model_request_start_id: start,
  is_error: false,
  model_usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 1, cache_creation_input_tokens: 2 },
  model: "claude-sonnet-4-6",
  list_cost_nano_usd: input * 3000 + output * 15_000 + 300 + 2 * 3750,
});

async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

async function expectRefused(promise: Promise<unknown>, reason: AppendRefusedError["reason"]): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppendRefusedError);
  expect((error as AppendRefusedError).reason).toBe(reason);
}

export function describeSessionStoreContract(name: string, harness: () => TStoreHarness, options: { concurrency?: boolean } = {}) {
  describe(`SessionStore contract: ${name}`, () => {
    it("creates an idle session with an empty log", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const session = await store.getSession(id);
      expect(session?.state).toEqual(INITIAL_SESSION_STATE);
      expect(await store.getEvents(id)).toEqual([]);
      expect(await store.getSession("sesn_missing")).toBeNull();
    });

    it("creates a session and its repositories in one write: a repository that cannot be written leaves no session", async () => {
      const { store, sessionInput } = harness();
      const taken = newId("session");
      const kept = await store.createSession({ ...sessionInput(), id: newId("session"), repositories: [repository(`sesrsc_${taken}`, 0)] });
      expect((await store.getSession(kept.id))?.id).toBe(kept.id);

      const samePosition = newId("session");
      await expect(store.createSession({ ...sessionInput(), id: samePosition, repositories: [repository(`sesrsc_a${samePosition}`, 0), repository(`sesrsc_b${samePosition}`, 0)] })).rejects.toThrow();
      expect(await store.getSession(samePosition)).toBeNull();

      const sameId = newId("session");
      await expect(store.createSession({ ...sessionInput(), id: sameId, repositories: [repository(`sesrsc_${taken}`, 0)] })).rejects.toThrow();
      expect(await store.getSession(sameId)).toBeNull();

      // the ids were not left taken: the same session can be created once its repositories are sound
      const retried = await store.createSession({ ...sessionInput(), id: sameId, repositories: [repository(`sesrsc_${sameId}`, 0)] });
      expect(retried.id).toBe(sameId);
    });

    it("appends events with contiguous seq numbers, stable ids and the body as sent", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const first = await store.appendEvents(id, [userMessage("hello")]);
      const second = await store.appendEvents(id, [{ type: "session.status_running" }, agentMessage("hi"), agentMessage("there")]);
      expect(first.events.map((e) => e.seq)).toEqual([1]);
      expect(second.events.map((e) => e.seq)).toEqual([2, 3, 4]);
      const all = await store.getEvents(id);
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(all).toEqual([...first.events, ...second.events]); // read back exactly as appended, timestamps included
      expect(new Set(all.map((e) => e.id)).size).toBe(4);
      for (const event of all) {
        expect(isId("event", event.id)).toBe(true);
        expect(event.sessionId).toBe(id);
        expect(Date.parse(event.processedAt!)).not.toBeNaN();
      }
      expect(all[0]!.body).toEqual(userMessage("hello"));
      expect(all[2]!.body).toEqual(agentMessage("hi"));
    });

    it("keeps the session state as the fold of its log, updated with each append", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const running = await store.appendEvents(id, [userMessage("go"), { type: "session.status_running" }, { type: "span.model_request_start" }]);
      expect(running.state.status).toBe("running");
      const done = await store.appendEvents(id, [
        usageEnd(running.events[2]!.id, 10, 20),
        { type: "span.model_request_start" },
        usageEnd(running.events[2]!.id, 5, 7),
        { type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null },
      ]);
      expect(done.state).toEqual({
        status: "idle",
        stopReason: { type: "end_turn" },
        usage: {
          input_tokens: 15,
          output_tokens: 27,
          cache_read_input_tokens: 2,
          cache_creation_input_tokens: 4,
          list_cost_nano_usd: 15 * 3000 + 27 * 15_000 + 2 * (300 + 2 * 3750),
          unpriced_requests: 0,
        },
        lastSeq: 7,
      });
      const session = await store.getSession(id);
      expect(session?.state).toEqual(done.state);
      expect(foldSessionState(INITIAL_SESSION_STATE, await store.getEvents(id))).toEqual(session?.state);
    });

    it("reads positional slices: afterSeq, beforeSeq, limit, types, ids and order", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const bodies = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? userMessage(`u${i + 1}`) : agentMessage(`a${i + 1}`)));
      await store.appendEvents(id, bodies);
      const seqs = async (q: Parameters<SessionStore["getEvents"]>[1]) => (await store.getEvents(id, q)).map((e) => e.seq);
      expect(await seqs({ afterSeq: 7 })).toEqual([8, 9, 10]);
      expect(await seqs({ beforeSeq: 4 })).toEqual([1, 2, 3]);
      expect(await seqs({ afterSeq: 2, beforeSeq: 6 })).toEqual([3, 4, 5]);
      expect(await seqs({ afterSeq: 2, limit: 2 })).toEqual([3, 4]);
      expect(await seqs({ order: "desc", limit: 3 })).toEqual([10, 9, 8]);
      expect(await seqs({ order: "desc", beforeSeq: 5, limit: 2 })).toEqual([4, 3]);
      expect(await seqs({ types: ["agent.message"] })).toEqual([2, 4, 6, 8, 10]);
      expect(await seqs({ types: ["agent.message"], afterSeq: 4, limit: 2 })).toEqual([6, 8]);
      expect(await seqs({ afterSeq: 10 })).toEqual([]);
      const all = await store.getEvents(id);
      expect(await seqs({ ids: [all[6]!.id, all[1]!.id, "sevt_none"] })).toEqual([2, 7]);
      expect(await seqs({ ids: [all[6]!.id, all[1]!.id], types: ["agent.message"] })).toEqual([2]);
      expect(await seqs({ ids: [all[6]!.id, all[3]!.id], order: "desc", limit: 1 })).toEqual([7]);
      expect(await seqs({ ids: [] })).toEqual([]);
      await expectAppError(store.getEvents(id, { limit: 0 }), "invalid_request", /query\.limit/);
      await expectAppError(store.getEvents(id, { afterSeq: -1 }), "invalid_request", /query\.afterSeq/);
    });

    it("records who sent an append with each of its events, reads it back on every path, and refuses a malformed actor", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const platform = await store.appendEvents(id, [{ type: "session.status_running" }]);
      const member = await store.appendEvents(id, [userMessage("from a teammate"), { type: "user.interrupt" }], { actor: { kind: "member", userId: "user_a" } });
      const key = await store.appendEvents(id, [userMessage("from a script")], { actor: { kind: "api_key", keyId: "apikey_b" }, idempotencyKey: "k-1", readAfter: 2 });
      expect(platform.events[0]!.actor).toBeUndefined();
      expect(member.events.map((e) => e.actor)).toEqual([{ kind: "member", userId: "user_a" }, { kind: "member", userId: "user_a" }]);
      expect(key.events[0]!.actor).toEqual({ kind: "api_key", keyId: "apikey_b" });
      expect(key.read?.map((e) => e.actor)).toEqual([{ kind: "member", userId: "user_a" }, { kind: "api_key", keyId: "apikey_b" }]);
      const all = await store.getEvents(id);
      expect(all).toEqual([...platform.events, ...member.events, ...key.events]);
      // a retry returns the events as first written, with their first sender
      const retry = await store.appendEvents(id, [userMessage("from a script")], { actor: { kind: "member", userId: "user_c" }, idempotencyKey: "k-1" });
      expect(retry.events[0]!.actor).toEqual({ kind: "api_key", keyId: "apikey_b" });
      await expectAppError(store.appendEvents(id, [userMessage("x")], { actor: { kind: "robot" } as never }), "invalid_request", /actor/);
      expect((await store.getEvents(id)).length).toBe(4);
    });

    it("makes a retried append with the same idempotency key a no-op", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const first = await store.appendEvents(id, [userMessage("once"), agentMessage("reply")], { idempotencyKey: "req-1" });
      const retry = await store.appendEvents(id, [userMessage("once"), agentMessage("reply")], { idempotencyKey: "req-1" });
      expect(first.duplicate).toBe(false);
      expect(retry.duplicate).toBe(true);
      expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect((await store.getEvents(id)).length).toBe(2);
      const other = await store.appendEvents(id, [userMessage("twice")], { idempotencyKey: "req-2" });
      expect(other.events[0]!.seq).toBe(3);
      const unkeyed = await store.appendEvents(id, [userMessage("twice")]);
      expect(unkeyed.events[0]!.seq).toBe(4);
    });

    it("rejects an event that fails the schema with a clear error and writes nothing of the batch", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      await store.appendEvents(id, [userMessage("kept")]);
      await expectAppError(
        store.appendEvents(id, [{ type: "session.status_running" }, { type: "user.message", content: [{ type: "text", text: 42 }] }]),
        "invalid_request",
        /^events\[1\]\.content\[0\]\.text: .*string/,
      );
      await expectAppError(store.appendEvents(id, [{ type: "agent.explode" }]), "invalid_request", /^events\[0\]\.type/);
      await expectAppError(store.appendEvents(id, [{ ...userMessage("x"), extra: true }]), "invalid_request", /extra/);
      await expectAppError(store.appendEvents(id, [userMessage("nul \u0000 here")]), "invalid_request", /U\+0000/);
      await expectAppError(store.appendEvents(id, [userMessage("lone \ud800 surrogate")]), "invalid_request", /valid Unicode/);
      await expectAppError(store.appendEvents(id, []), "invalid_request", /at least one event/);
      await expectAppError(store.appendEvents(id, [userMessage("k")], { idempotencyKey: "" }), "invalid_request", /idempotencyKey/);
      const events = await store.getEvents(id);
      expect(events.map((e) => e.body)).toEqual([userMessage("kept")]);
      expect((await store.getSession(id))?.state).toEqual({ ...INITIAL_SESSION_STATE, lastSeq: 1 });
    });

    it("refuses appends and reads of an unknown session", async () => {
      const { store } = harness();
      await expectAppError(store.appendEvents("sesn_unknown", [userMessage("x")]), "not_found", /sesn_unknown/);
      await expectAppError(store.getEvents("sesn_unknown"), "not_found");
    });

    it("appends with ifOpen only to a session of that team that is not terminated, as it is under the append's lock", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const { teamId } = (await store.getSession(id))!;
      const open = await store.appendEvents(id, [userMessage("open")], { ifOpen: { teamId } });
      expect(open.events.map((e) => e.seq)).toEqual([1]);
      await expectRefused(store.appendEvents(id, [userMessage("another team's")], { ifOpen: { teamId: "team_other" }, idempotencyKey: "k" }), "other_team");
      await store.appendEvents(id, [{ type: "session.status_terminated" }]);
      await expectRefused(store.appendEvents(id, [userMessage("too late")], { ifOpen: { teamId } }), "terminated");
      await expectAppError(store.appendEvents("sesn_unknown", [userMessage("x")], { ifOpen: { teamId } }), "not_found");
      expect((await store.getEvents(id)).map((e) => e.body)).toEqual([userMessage("open"), { type: "session.status_terminated" }]);
      expect((await store.getSession(id))?.state).toMatchObject({ status: "terminated", lastSeq: 2 });
      // the refused append did not use its idempotency key
      expect((await store.appendEvents(id, [agentMessage("keyed")], { idempotencyKey: "k" })).duplicate).toBe(false);
    });

    it("appends with ifLastSeq only when the log ends at that seq, and otherwise writes nothing and says where it ends", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const first = await store.appendEvents(id, [userMessage("one")], { ifLastSeq: 0 });
      expect(first.events.map((e) => e.seq)).toEqual([1]);
      const both = await store.appendEvents(id, [agentMessage("two"), { type: "session.status_idle", stop_reason: { type: "end_turn" } }], { ifLastSeq: 1, readAfter: 1 });
      expect(both.read?.map((e) => e.seq)).toEqual([2, 3]);
      const moved = await store.appendEvents(id, [agentMessage("late")], { ifLastSeq: 2, idempotencyKey: "m" }).catch((error: unknown) => error);
      expect(moved).toBeInstanceOf(LogMovedError);
      expect(moved).toMatchObject({ sessionId: id, expected: 2, lastSeq: 3 });
      expect((await store.getSession(id))?.state).toMatchObject({ status: "idle", lastSeq: 3 });
      expect((await store.getEvents(id)).map((e) => e.seq)).toEqual([1, 2, 3]);
      // the refused append did not use its idempotency key
      expect((await store.appendEvents(id, [agentMessage("keyed")], { idempotencyKey: "m" })).duplicate).toBe(false);
      await expectAppError(store.appendEvents(id, [agentMessage("x")], { ifLastSeq: -1 }), "invalid_request", /ifLastSeq/);
    });

    it("returns with an append the log after readAfter up to its own events, exactly as a read would", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      await store.appendEvents(id, [userMessage("one"), agentMessage("two")]);
      const three = await store.appendEvents(id, [agentMessage("three")], { readAfter: 1 });
      expect(three.read?.map((e) => e.seq)).toEqual([2, 3]);
      expect(three.read).toEqual(await store.getEvents(id, { afterSeq: 1 }));
      expect((await store.appendEvents(id, [agentMessage("four")], { readAfter: 3 })).read?.map((e) => e.seq)).toEqual([4]);
      // byte for byte, key order included (a model request built from either is the same request)
      const input = { zeta: 1, a: { yy: 2, b: [3, { d: 4, c: 5 }] } };
      const tool = await store.appendEvents(id, [{ type: "agent.tool_use", name: "bash", input }], { readAfter: 2 });
      expect(JSON.stringify(tool.read)).toBe(JSON.stringify(await store.getEvents(id, { afterSeq: 2 })));
      // a caller that claims to have read past the log gets nothing to rely on
      expect((await store.appendEvents(id, [agentMessage("six")], { readAfter: 99 })).read).toBeUndefined();
      await expectAppError(store.appendEvents(id, [agentMessage("x")], { readAfter: -1 }), "invalid_request", /readAfter/);
    });

    it("round-trips unicode and nested tool input exactly", async () => {
      const { store, newSession } = harness();
      const id = await newSession();
      const input = { command: "echo 'héllo 👋 \\n'", nested: { list: [1, "two", null, { deep: true }] } };
      const text = "emoji 👩‍👩‍👧 · RTL עברית · combining é · zero-width \u200b · max BMP \uffff";
      await store.appendEvents(id, [{ type: "agent.tool_use", name: "bash", input }, userMessage(text)]);
      const [toolUse, message] = await store.getEvents(id);
      expect(toolUse!.body).toEqual({ type: "agent.tool_use", name: "bash", input });
      expect(message!.body).toEqual(userMessage(text));
    });

    if (options.concurrency !== false) {
      it("gives 16 concurrent appenders × 200 events exactly seq 1..3200, no gap, no duplicate", async () => {
        const { store, newSession } = harness();
        const id = await newSession();
        const appenders = 16;
        const perAppender = 200;
        await Promise.all(
          Array.from({ length: appenders }, async (_, a) => {
            for (let i = 0; i < perAppender; i++) await store.appendEvents(id, [agentMessage(`${a}:${i}`)]);
          }),
        );
        const events = await store.getEvents(id, { limit: 10_000 });
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: appenders * perAppender }, (_, i) => i + 1));
        expect(new Set(events.map((e) => e.id)).size).toBe(appenders * perAppender);
        // each appender's own events are in the order it wrote them
        for (let a = 0; a < appenders; a++) {
          const mine = events
            .map((e) => (e.body.type === "agent.message" && e.body.content[0]?.type === "text" ? e.body.content[0].text : ""))
            .filter((t) => t.startsWith(`${a}:`));
          expect(mine).toEqual(Array.from({ length: perAppender }, (_, i) => `${a}:${i}`));
        }
        expect((await store.getSession(id))?.state.lastSeq).toBe(appenders * perAppender);
      });
    }
  });
}
