import { describe, expect, it } from "vitest";
import type { TStoredEvent } from "@/lib/event-log/events";
import { toViewEvent, toViewEvents } from "@/lib/realtime/view-events";
import { announcementsBetween } from "@/lib/sessions/ui/announce";
import { describeSandbox, formatDuration } from "@/lib/timeline/describe-sandbox";
import { foldTimeline, INITIAL_TIMELINE, itemIndexAtSeq, timelineOf, type TSandboxItem, type TTimelineEvent } from "@/lib/timeline/fold-timeline";
import { LogBuilder } from "../sessions-ui/events";

type TSandboxBody = Extract<TTimelineEvent, { type: "span.sandbox_status" }>;
const sandbox = (status: TSandboxBody["status"], fields: Partial<Omit<TSandboxBody, "type" | "status">> = {}) =>
  ({ type: "span.sandbox_status", status, provider: "local", sandbox_id: "sbx_1", reason: null, duration_ms: null, ...fields }) as const;

const sandboxItems = (events: readonly TTimelineEvent[]) => timelineOf(events).items.filter((i): i is TSandboxItem => i.kind === "sandbox");

describe("the sandbox status, folded from the log", () => {
  it("has none before the harness reports one", () => {
    const log = new LogBuilder();
    log.userMessage("hi");
    expect(timelineOf(log.events).sandbox).toBeNull();
    expect(INITIAL_TIMELINE.sandbox).toBeNull();
  });

  it("shows provisioning, then settles the same row as ready with the provider and the time it took", () => {
    const log = new LogBuilder();
    log.userMessage("run it");
    const started = log.add(sandbox("provisioning"));
    const provisioning = timelineOf(log.events);
    expect(provisioning.sandbox).toMatchObject({ status: "provisioning", provider: "local", seq: started.seq });
    expect(describeSandbox(provisioning.sandbox!)).toBe("Sandbox provisioning… (local)");

    const ready = log.add(sandbox("ready", { duration_ms: 812 }));
    const timeline = timelineOf(log.events);
    expect(timeline.sandbox).toMatchObject({ status: "ready", durationMs: 812, seq: ready.seq });
    const rows = sandboxItems(log.events);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: started.id, seq: started.seq, status: "ready" });
    expect(describeSandbox(rows[0]!)).toBe("Sandbox ready (local, 0.8 s)");
    // the ready event points at the row it settled
    expect(itemIndexAtSeq(timeline, ready.seq)).toBe(timeline.sandbox!.itemIndex);
  });

  it("shows a failure with its reason, and a replacement as a row of its own followed by the new sandbox", () => {
    const log = new LogBuilder();
    log.add(sandbox("provisioning"));
    log.add(sandbox("failed", { reason: "bubblewrap is not installed" }));
    expect(describeSandbox(timelineOf(log.events).sandbox!)).toBe("Sandbox failed: bubblewrap is not installed");

    log.add(sandbox("provisioning"));
    log.add(sandbox("ready", { duration_ms: 400 }));
    log.add(sandbox("replaced", { reason: "the sandbox stopped answering" }));
    log.add(sandbox("provisioning", { sandbox_id: null }));
    log.add(sandbox("ready", { duration_ms: 12_400, sandbox_id: "sbx_2" }));
    const rows = sandboxItems(log.events);
    expect(rows.map((r) => r.status)).toEqual(["failed", "ready", "replaced", "ready"]);
    expect(rows.map(describeSandbox)).toEqual([
      "Sandbox failed: bubblewrap is not installed",
      "Sandbox ready (local, 0.4 s)",
      "Sandbox replaced: the sandbox stopped answering",
      "Sandbox ready (local, 12 s)",
    ]);
  });

  it("folds to the same timeline in one go or event by event (a live view receives it in pieces)", () => {
    const log = new LogBuilder();
    log.userMessage("go");
    log.add(sandbox("provisioning"));
    log.running();
    log.add(sandbox("ready", { duration_ms: 1_000 }));
    log.add(sandbox("replaced", { reason: "gone" }));
    log.add(sandbox("provisioning"));
    const whole = timelineOf(log.events);
    let pieces = INITIAL_TIMELINE;
    for (const event of log.events) pieces = foldTimeline(pieces, [event]);
    expect(pieces.items).toEqual(whole.items);
    expect(pieces.sandbox).toEqual(whole.sandbox);
    expect(whole.sandbox?.status).toBe("provisioning");
  });

  it("announces a failure or a replacement to screen readers, not the routine reports", () => {
    const log = new LogBuilder();
    log.add(sandbox("provisioning"));
    const before = timelineOf(log.events);
    log.add(sandbox("replaced", { reason: "gone" }));
    log.add(sandbox("provisioning"));
    expect(announcementsBetween(before, timelineOf(log.events), null)).toEqual(["Sandbox replaced: gone."]);
  });

  it("formats durations for people", () => {
    expect([formatDuration(0), formatDuration(812), formatDuration(9_960), formatDuration(42_000), formatDuration(125_000)]).toEqual(["0.0 s", "0.8 s", "10.0 s", "42 s", "2 min 5 s"]);
  });
});

describe("what each viewer receives of the log", () => {
  const stored = (seq: number, body: TStoredEvent["body"]): TStoredEvent => ({ id: `sevt_${seq}`, sessionId: "sesn_1", seq, processedAt: null, createdAt: "2026-01-01T00:00:00Z", body });
  const log: TStoredEvent[] = [
    stored(1, { type: "user.message", content: [{ type: "text", text: "hi" }] }),
    stored(2, { type: "span.tool_execution_start", tool_use_id: "sevt_9" }),
    stored(3, sandbox("ready", { sandbox_id: "sbx_secretive", duration_ms: 5 })),
    stored(4, { type: "session.updated", title: "New title", metadata: { customer: "acme" } }),
  ];

  it("gives API keys the API's events, members the sandbox status too, never the tool execution mark", () => {
    expect(toViewEvents(log, "api").map((e) => e.type)).toEqual(["user.message", "session.updated"]);
    expect(toViewEvents(log, "member").map((e) => e.type)).toEqual(["user.message", "span.sandbox_status", "session.updated"]);
    expect(toViewEvent(log[3]!, "member")).toMatchObject({ metadata: { customer: "acme" } });
    expect(toViewEvent(log[2]!, "member")).toMatchObject({ sandbox_id: "sbx_secretive" });
  });

  it("gives share-link guests what the replay page shows: the title of an update, the sandbox without its id", () => {
    const guest = toViewEvents(log, "guest");
    expect(guest.map((e) => e.seq)).toEqual([1, 3, 4]);
    expect(guest[1]).toEqual({ type: "span.sandbox_status", id: "sevt_3", seq: 3, processed_at: null, status: "ready", provider: "local", sandbox_id: null, reason: null, duration_ms: 5 });
    expect(guest[2]).toEqual({ type: "session.updated", id: "sevt_4", seq: 4, processed_at: null, title: "New title" });
    expect(JSON.stringify(guest)).not.toMatch(/acme|sbx_secretive/);
  });
});
