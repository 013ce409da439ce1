import { describe, expect, it } from "vitest";
import { foldDreamStatus, type TDreamFacts } from "@/lib/dreams/dream-status";
import { dreamToWire, ZERO_DREAM_USAGE } from "@/lib/dreams/dream-to-wire";
import { ZDreamCreateSchema } from "@/lib/dreams/schemas";
import { dreamTranscript } from "@/lib/dreams/dream-transcript";
import type { TStoredEvent } from "@/lib/event-log/events";

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, s));
const none: TDreamFacts = { failedAt: null, error: null, canceledAt: null, sessionExists: false, sessionEnd: null };

describe("a dream's status, folded from its facts", () => {
  it("is pending before its session exists and running once it does", () => {
    expect(foldDreamStatus(none)).toEqual({ status: "pending", endedAt: null, error: null });
    expect(foldDreamStatus({ ...none, sessionExists: true })).toEqual({ status: "running", endedAt: null, error: null });
  });

  it("completes when the session's log ends its turn, and fails with the last error when it does not", () => {
    expect(foldDreamStatus({ ...none, sessionExists: true, sessionEnd: { at: at(5), stop: "end_turn", error: null } })).toEqual({ status: "completed", endedAt: at(5), error: null });
    const overloaded = { type: "overloaded_error", message: "the model is overloaded" };
    expect(foldDreamStatus({ ...none, sessionExists: true, sessionEnd: { at: at(6), stop: "retries_exhausted", error: overloaded } })).toEqual({ status: "failed", endedAt: at(6), error: overloaded });
    expect(foldDreamStatus({ ...none, sessionExists: true, sessionEnd: { at: at(6), stop: "terminated", error: null } }).error).toEqual({ type: "internal_error", message: "the dream's session was terminated" });
  });

  it("lets the earliest final fact win: a cancel before the end cancels, one after it changes nothing", () => {
    const ended = { ...none, sessionExists: true, sessionEnd: { at: at(10), stop: "end_turn" as const, error: null } };
    expect(foldDreamStatus({ ...ended, canceledAt: at(9) })).toEqual({ status: "canceled", endedAt: at(9), error: null });
    expect(foldDreamStatus({ ...ended, canceledAt: at(11) }).status).toBe("completed");
    // a tie goes to the session's end
    expect(foldDreamStatus({ ...ended, canceledAt: at(10) }).status).toBe("completed");
    expect(foldDreamStatus({ ...none, canceledAt: at(3) })).toEqual({ status: "canceled", endedAt: at(3), error: null });
  });

  it("fails when its session was deleted after the start, unless it was canceled before", () => {
    expect(foldDreamStatus({ ...none, startedAt: at(4) })).toEqual({ status: "failed", endedAt: at(4), error: { type: "session_deleted", message: "the dream's session was deleted" } });
    expect(foldDreamStatus({ ...none, startedAt: at(4), canceledAt: at(8) }).status).toBe("canceled");
    expect(foldDreamStatus({ ...none, startedAt: at(4), sessionExists: true }).status).toBe("running");
  });

  it("fails with the job's own error when it could not start its session", () => {
    const error = { type: "memory_store_not_found", message: "gone" };
    expect(foldDreamStatus({ ...none, failedAt: at(2), error })).toEqual({ status: "failed", endedAt: at(2), error });
  });
});

describe("the Dream object", () => {
  const row = {
    id: "drm_01KBX0000000000000000000AA",
    memoryStoreId: "memstore_1",
    sessionIds: ["sesn_b", "sesn_a"],
    outputBehavior: "create_new",
    outputStoreId: null,
    instructions: null,
    model: { id: "claude-x", speed: "standard" },
    sessionId: "sesn_run",
    archivedAt: null,
    createdAt: at(0),
  };

  it("maps a pending dream: sorted session ids, no outputs, no session, zero usage", () => {
    expect(dreamToWire(row, { state: { status: "pending", endedAt: null, error: null }, sessionExists: false, usage: ZERO_DREAM_USAGE })).toEqual({
      id: row.id,
      type: "dream",
      status: "pending",
      inputs: [
        { type: "memory_store", memory_store_id: "memstore_1" },
        { type: "sessions", session_ids: ["sesn_a", "sesn_b"] },
      ],
      instructions: null,
      model: { id: "claude-x", speed: "standard" },
      output_behavior: { type: "create_new" },
      outputs: [],
      session_id: null,
      error: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      created_at: at(0).toISOString(),
      ended_at: null,
      archived_at: null,
    });
  });

  it("maps a failed update_existing dream with its output, session and error", () => {
    const error = { type: "overloaded_error", message: "no" };
    const wire = dreamToWire(
      { ...row, outputBehavior: "update_existing", outputStoreId: "memstore_1" },
      { state: { status: "failed", endedAt: at(9), error }, sessionExists: true, usage: { ...ZERO_DREAM_USAGE, input_tokens: 12 } },
    );
    expect(wire).toMatchObject({
      status: "failed",
      output_behavior: { type: "update_existing", memory_store_id: "memstore_1" },
      outputs: [{ type: "memory_store", memory_store_id: "memstore_1" }],
      session_id: "sesn_run",
      error,
      usage: { input_tokens: 12 },
      ended_at: at(9).toISOString(),
    });
  });
});

describe("the create request", () => {
  const inputs = [
    { type: "memory_store", memory_store_id: "memstore_1" },
    { type: "sessions", session_ids: ["sesn_1"] },
  ];
  const issue = (body: unknown) => {
    const parsed = ZDreamCreateSchema.safeParse(body);
    return parsed.success ? null : parsed.error.issues[0]!.path.join(".");
  };

  it("accepts a model id or object and names the bad field otherwise", () => {
    expect(issue({ inputs, model: "claude-x" })).toBeNull();
    expect(issue({ inputs, model: { id: "claude-x", speed: "standard" }, output_behavior: { type: "create_new" } })).toBeNull();
    expect(issue({ inputs, model: { id: "claude-x", speed: "fast" } })).toBe("model.speed");
    expect(issue({ inputs, model: "claude-x", output_behavior: { type: "replace" } })).toBe("output_behavior.type");
    expect(issue({ inputs: [inputs[0]], model: "claude-x" })).toBe("inputs");
    expect(issue({ inputs: [inputs[0], { type: "sessions", session_ids: ["a", "a"] }], model: "x" })).toBe("inputs.1.session_ids");
    expect(issue({ inputs, model: "x", instructions: "" })).toBe("instructions");
  });
});

describe("the transcript a dream reads", () => {
  const event = (seq: number, type: string, text: string): TStoredEvent =>
    ({ id: `sevt_${seq}`, sessionId: "s", seq, processedAt: null, createdAt: at(seq).toISOString(), body: { type, content: [{ type: "text", text }] } }) as unknown as TStoredEvent;

  it("gives each session's messages as text, and keeps the most recent part of a long one", () => {
    const text = dreamTranscript([{ id: "sesn_1", title: "Deploy", events: [event(1, "user.message", "How do I deploy?"), event(2, "agent.message", "Run make deploy.")] }]);
    expect(text).toContain("## Session sesn_1 — Deploy");
    expect(text).toContain("User: How do I deploy?\n\nAgent: Run make deploy.");

    const long = dreamTranscript([{ id: "sesn_2", title: null, events: [event(1, "user.message", "old ".repeat(1000)), event(2, "user.message", "the newest fact")] }], 1_000);
    expect(long).toContain("the newest fact");
    expect(long).toMatch(/\[… \d+ earlier characters left out …\]/);
    expect(long.length).toBeLessThan(1_300);
  });
});
