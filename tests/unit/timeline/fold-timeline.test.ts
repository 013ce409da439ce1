import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActorNamesProvider } from "@/components/timeline/actor-names";
import { TimelineItem } from "@/components/timeline/timeline-item";
import type { TEventActor, TStoredEvent } from "@/lib/event-log/events";
import { toViewEvents } from "@/lib/realtime/view-events";
import { actorLabel, type TActorNames } from "@/lib/timeline/actor-label";
import { foldSessionState, INITIAL_SESSION_STATE } from "@/lib/event-log/fold";
import { estimateCostUsd, formatUsd, modelFamily } from "@/lib/timeline/estimate-cost";
import { foldTimeline, INITIAL_TIMELINE, itemIndexAtSeq, timelineOf, type TTimelineEvent, type TTimelineItem } from "@/lib/timeline/fold-timeline";
import { blocksText } from "@/lib/timeline/timeline-blocks";
import recorded from "./fixtures/recorded-session.json";

// A session recorded from the harness (scripted model, fake sandbox): a tool run, a long output,
// a tool a person denied, a custom tool answered by the client, and a model error retried.
const LOG = recorded as unknown as TTimelineEvent[];

const textOf = (item: TTimelineItem | undefined) => (item && "blocks" in item ? blocksText(item.blocks) : "");
const ofKind = <K extends TTimelineItem["kind"]>(items: readonly TTimelineItem[], kind: K) =>
  items.filter((i): i is Extract<TTimelineItem, { kind: K }> => i.kind === kind);

describe("foldTimeline over a recorded session", () => {
  const timeline = timelineOf(LOG, { model: "claude-sonnet-4-5" });

  it("takes status and usage from foldSessionState, the fold the store and the API use", () => {
    const session = foldSessionState(INITIAL_SESSION_STATE, LOG.map((e) => ({ seq: e.seq, body: e })));
    expect(timeline.session).toEqual(session);
    expect(timeline.session.status).toBe("idle");
    expect(timeline.session.usage.input_tokens).toBeGreaterThan(0);
    expect(timeline.eventCount).toBe(LOG.length);
  });

  it("shows the conversation in log order: user and agent messages, thinking, tool calls", () => {
    const kinds = timeline.items.map((i) => i.kind);
    expect(kinds.slice(0, 6)).toEqual(["user_message", "status", "model_request", "thinking", "agent_message", "tool_call"]);
    expect(ofKind(timeline.items, "user_message").map(textOf)).toEqual([
      "What is in the workspace?",
      "Change Hello to Hi in the README",
      "Who is ada@example.com?",
      "Anything else?",
    ]);
    expect(ofKind(timeline.items, "agent_message").map(textOf)).toContain("Ada is a customer since 2021.");
    // results and request ends complete their item instead of adding one
    expect(kinds.filter((k) => k === "tool_call")).toHaveLength(4);
    expect(kinds.filter((k) => k === "model_request")).toHaveLength(LOG.filter((e) => e.type === "span.model_request_start").length);
  });

  it("pairs each tool call with its result, confirmation and state", () => {
    const calls = ofKind(timeline.items, "tool_call");
    const [ls, seq, edit, lookup] = calls;
    expect(ls).toMatchObject({ source: "builtin", name: "bash", input: { command: "ls" }, state: "done", permission: "allow" });
    expect(blocksText(ls!.result!.blocks)).toContain("README.md");
    expect(blocksText(seq!.result!.blocks).split("\n")).toHaveLength(120);
    expect(edit).toMatchObject({ name: "edit", permission: "ask", state: "denied", confirmation: { result: "deny", denyMessage: "Leave it as it is." } });
    expect(lookup).toMatchObject({ source: "custom", name: "lookup_customer", state: "done" });
    expect(blocksText(lookup!.result!.blocks)).toBe('{"name":"Ada","since":2021}');
  });

  it("records errors with their retry status, and each status change with its stop reason", () => {
    expect(ofKind(timeline.items, "error")).toEqual([expect.objectContaining({ errorType: "model_overloaded_error", message: "Overloaded", retry: "retrying" })]);
    const statuses = ofKind(timeline.items, "status");
    expect(statuses[0]).toMatchObject({ status: "running", stopReason: null });
    expect(statuses.map((s) => s.stopReason?.type ?? null)).toContain("requires_action");
    expect(statuses.at(-1)).toMatchObject({ status: "idle", stopReason: { type: "end_turn" } });
  });

  it("gives every model request its usage and an estimated cost that adds up to the total", () => {
    const requests = ofKind(timeline.items, "model_request");
    expect(requests.every((r) => r.end !== null)).toBe(true);
    expect(requests[0]!.end!.usage).toEqual({ input_tokens: 1200, output_tokens: 80, cache_read_input_tokens: 0, cache_creation_input_tokens: 1000 });
    // sonnet: $3 in, $15 out, $3.75 cache write per million tokens
    expect(requests[0]!.end!.costUsd).toBeCloseTo((1200 * 3 + 80 * 15 + 1000 * 3.75) / 1e6, 10);
    const sum = requests.reduce((total, r) => total + r.end!.costUsd!, 0);
    expect(timeline.costUsd).toBeCloseTo(sum, 10);
    expect(timeline.costUsd).toBeCloseTo(estimateCostUsd(timeline.session.usage, "sonnet")!, 10);
  });

  it("counts in the cost the requests beside the agent's turns: the grader's, a context summary's, the advisor's", () => {
    const usage = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const at = "2026-12-07T10:00:00.000Z";
    const events = [
      { type: "span.model_request_start", id: "sevt_1", seq: 1, processed_at: at },
      { type: "span.model_request_end", id: "sevt_2", seq: 2, processed_at: at, model_request_start_id: "sevt_1", is_error: false, model_usage: usage, list_cost_nano_usd: 1_000_000_000 },
      { type: "agent.thread_context_compacted", id: "sevt_3", seq: 3, processed_at: at, summary: "s", model_usage: usage, list_cost_nano_usd: 200_000_000 },
      { type: "span.outcome_evaluation_end", id: "sevt_4", seq: 4, processed_at: at, outcome_evaluation_start_id: "sevt_9", outcome_id: "outc_1", iteration: 0, result: "satisfied", explanation: "ok", usage, list_cost_nano_usd: 500_000_000 },
      { type: "agent.tool_result", id: "sevt_5", seq: 5, processed_at: at, tool_use_id: "sevt_8", content: [{ type: "text", text: "advice" }], model_usage: usage, list_cost_nano_usd: 50_000_000 },
    ] as unknown as TTimelineEvent[];
    expect(timelineOf(events, { model: "claude-sonnet-4-5" }).costUsd).toBeCloseTo(1.75, 10);
    // and the session's usage agrees, folded by the same rules
    expect(foldSessionState(INITIAL_SESSION_STATE, events.map((e) => ({ seq: e.seq, body: e as never }))).usage.output_tokens).toBe(20);
  });

  it("has no cost estimate for a model of unknown family, rather than a guess", () => {
    expect(timelineOf(LOG, { model: "some-other-model" }).costUsd).toBeNull();
    expect(timelineOf(LOG).costUsd).toBeNull();
  });

  it("is the same folded whole, in pieces, event by event, or with overlapping batches", () => {
    const whole = timelineOf(LOG, { model: "opus" });
    let pieces = INITIAL_TIMELINE;
    for (let i = 0; i < LOG.length; i += 7) pieces = foldTimeline(pieces, LOG.slice(i, i + 7), { model: "opus" });
    let single = INITIAL_TIMELINE;
    for (const event of LOG) single = foldTimeline(single, [event], { model: "opus" });
    const overlapping = foldTimeline(foldTimeline(INITIAL_TIMELINE, LOG.slice(0, 30), { model: "opus" }), LOG.slice(10), { model: "opus" });
    for (const other of [pieces, single, overlapping]) {
      expect(other.items).toEqual(whole.items);
      expect(other.session).toEqual(whole.session);
      expect(other.costUsd).toBeCloseTo(whole.costUsd!, 12);
    }
  });

  it("leaves the state it folds from untouched", () => {
    const half = timelineOf(LOG.slice(0, 10));
    const snapshot = structuredClone({ items: half.items, seqs: [...half.itemOfSeq] });
    foldTimeline(half, LOG.slice(10));
    expect({ items: half.items, seqs: [...half.itemOfSeq] }).toEqual(snapshot);
  });

  it("shows a prefix of the log as it was then: a call still running, a request still open", () => {
    const cut = LOG.findIndex((e) => e.type === "agent.tool_use") + 1;
    const early = timelineOf(LOG.slice(0, cut));
    const call = ofKind(early.items, "tool_call")[0]!;
    expect(call).toMatchObject({ state: "running", result: null });
    expect(ofKind(early.items, "model_request")[0]!.end).toBeNull();
    expect(early.session.status).toBe("running");
    const edit = LOG.find((e) => e.type === "agent.tool_use" && e.name === "edit")!;
    const waiting = timelineOf(LOG.filter((e) => e.seq <= edit.seq));
    expect(ofKind(waiting.items, "tool_call").at(-1)!.state).toBe("awaiting_confirmation");
    const custom = LOG.find((e) => e.type === "agent.custom_tool_use")!;
    expect(ofKind(timelineOf(LOG.filter((e) => e.seq <= custom.seq)).items, "tool_call").at(-1)!.state).toBe("awaiting_client");
  });

  it("finds the item that shows any event: its own, the one it completes, or the one before it", () => {
    const result = LOG.find((e) => e.type === "agent.tool_result")!;
    const call = timeline.items[itemIndexAtSeq(timeline, result.seq)]!;
    expect(call.kind).toBe("tool_call");
    expect(call.key).toBe(result.type === "agent.tool_result" ? result.tool_use_id : "");
    const end = LOG.find((e) => e.type === "span.model_request_end")!;
    expect(timeline.items[itemIndexAtSeq(timeline, end.seq)]!.kind).toBe("model_request");
    // seq 8 is an internal event (not on the wire): the item before it
    expect(LOG.some((e) => e.seq === 8)).toBe(false);
    expect(timeline.items[itemIndexAtSeq(timeline, 8)]!.seq).toBeLessThan(8);
    expect(itemIndexAtSeq(timeline, 0)).toBe(-1);
  });
});

describe("foldTimeline: events the recorded session lacks", () => {
  const at = "2026-01-01T00:00:00.000Z";
  const ev = (seq: number, body: Record<string, unknown>): TTimelineEvent => ({ id: `sevt_${seq}`, seq, processed_at: at, ...body }) as TTimelineEvent;

  it("shows interrupts, title changes, compaction, MCP calls, terminal errors and images without their data", () => {
    const t = timelineOf([
      ev(1, { type: "user.message", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }, { type: "text", text: "what is this?" }] }),
      ev(2, { type: "session.updated", title: "Screenshots", metadata: { owner: "x" } }),
      ev(3, { type: "session.updated", metadata: { owner: "y" } }),
      ev(4, { type: "agent.mcp_tool_use", mcp_server_name: "github", name: "list_issues", input: { repo: "a/b" }, evaluated_permission: "allow" }),
      ev(5, { type: "agent.mcp_tool_result", mcp_tool_use_id: "sevt_4", content: [{ type: "text", text: "none" }], is_error: false }),
      ev(6, { type: "agent.thread_context_compacted" }),
      ev(7, { type: "user.interrupt" }),
      ev(8, { type: "session.error", error: { type: "internal_error", message: "boom", retry_status: { type: "terminal" } } }),
      ev(9, { type: "session.status_terminated" }),
      ev(10, { type: "agent.tool_result", tool_use_id: "sevt_unknown", content: [{ type: "text", text: "orphan" }], is_error: true }),
    ]);
    expect(t.items.map((i) => i.kind)).toEqual(["user_message", "title_changed", "tool_call", "context_compacted", "interrupt", "error", "status", "tool_call"]);
    expect(t.title).toBe("Screenshots");
    const message = t.items[0]!;
    expect(message.kind === "user_message" && message.blocks[0]).toEqual({ type: "image", label: "Image (image/png)" });
    expect(JSON.stringify(t.items)).not.toContain("iVBORw0KGgo=");
    expect(t.items[2]).toMatchObject({ source: "mcp", mcpServer: "github", name: "list_issues", state: "done" });
    expect(t.items[6]).toMatchObject({ status: "terminated" });
    expect(t.items[7]).toMatchObject({ name: "unknown tool", state: "error" });
    expect(t.session.status).toBe("terminated");
  });

  it("marks a tool the agent does not have as denied, even once its error result is in", () => {
    const t = timelineOf([
      ev(1, { type: "agent.tool_use", name: "rm_rf", input: {}, evaluated_permission: "deny" }),
      ev(2, { type: "agent.tool_result", tool_use_id: "sevt_1", content: [{ type: "text", text: "not permitted" }], is_error: true }),
    ]);
    expect(t.items).toHaveLength(1);
    expect(t.items[0]).toMatchObject({ state: "denied", result: { isError: true } });
  });
});

describe("cost estimate", () => {
  it("knows the model families and nothing else", () => {
    expect(modelFamily("claude-opus-4-5")).toBe("opus");
    expect(modelFamily("claude-3-5-haiku-latest")).toBe("haiku");
    expect(modelFamily("Claude-Sonnet-5-5")).toBe("sonnet");
    expect(modelFamily("gpt-x")).toBeNull();
    expect(modelFamily(null)).toBeNull();
  });

  it("formats small amounts with enough digits to see them move", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.00123)).toBe("$0.0012");
    expect(formatUsd(0.5)).toBe("$0.500");
    expect(formatUsd(12.345)).toBe("$12.35");
  });
});

describe("long logs", () => {
  it("folds a 10,000-event log at once and a few events at a time to the same timeline", () => {
    const events: TTimelineEvent[] = [];
    let seq = 0;
    const at = "2026-01-01T00:00:00.000Z";
    while (events.length < 10_000) {
      const use = `sevt_use_${seq}`;
      const start = `sevt_start_${seq}`;
      events.push({ id: `sevt_u_${seq}`, seq: ++seq, processed_at: at, type: "user.message", content: [{ type: "text", text: "go" }] });
      events.push({ id: start, seq: ++seq, processed_at: at, type: "span.model_request_start" });
      events.push({ id: use, seq: ++seq, processed_at: at, type: "agent.tool_use", name: "bash", input: { command: "ls" }, evaluated_permission: "allow" });
      events.push({ id: `sevt_e_${seq}`, seq: ++seq, processed_at: at, type: "span.model_request_end", model_request_start_id: start, is_error: false, model_usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } });
      events.push({ id: `sevt_r_${seq}`, seq: ++seq, processed_at: at, type: "agent.tool_result", tool_use_id: use, content: [{ type: "text", text: "ok" }], is_error: false });
    }
    // Speed is measured by `npm run bench:fanout` (10k-event replay), not asserted here.
    const whole = timelineOf(events, { model: "haiku" });
    expect(whole.items).toHaveLength(6_000);
    // the player folds forward a few events at a time
    let state = INITIAL_TIMELINE;
    for (let i = 0; i < events.length; i += 10) state = foldTimeline(state, events.slice(i, i + 10), { model: "haiku" });
    expect(state.items).toEqual(whole.items);
  });
});

describe("who did what: the sender the log records beside each client event", () => {
  const at = "2026-01-01T00:00:00.000Z";
  const alice = { kind: "member", userId: "user_alice" } as const;
  const ci = { kind: "api_key", keyId: "apikey_ci" } as const;
  const stored = (seq: number, body: Record<string, unknown>, actor?: TEventActor): TStoredEvent =>
    ({ id: `sevt_${seq}`, sessionId: "sesn_1", seq, processedAt: at, createdAt: at, body, ...(actor ? { actor } : {}) }) as TStoredEvent;
  const log: TStoredEvent[] = [
    stored(1, { type: "user.message", content: [{ type: "text", text: "deploy" }] }, alice),
    stored(2, { type: "agent.tool_use", name: "bash", input: { command: "deploy" }, evaluated_permission: "ask" }),
    stored(3, { type: "user.tool_confirmation", tool_use_id: "sevt_2", result: "deny", deny_message: "not today" }, ci),
    stored(4, { type: "agent.custom_tool_use", name: "lookup", input: {} }),
    stored(5, { type: "user.custom_tool_result", custom_tool_use_id: "sevt_4", content: [{ type: "text", text: "42" }] }, alice),
    stored(6, { type: "user.interrupt" }, ci),
    stored(7, { type: "agent.message", content: [{ type: "text", text: "ok" }] }),
  ];
  const names: TActorNames = { members: { user_alice: "Alice Liddell" }, apiKeys: { apikey_ci: "ci-bot" } };

  it("folds the sender into each message, approval or denial, custom tool result and interrupt, and only there", () => {
    const t = timelineOf(toViewEvents(log, "member"));
    const [message, denied, custom, interrupt, reply] = t.items;
    expect(message).toMatchObject({ kind: "user_message", actor: alice });
    expect(denied).toMatchObject({ kind: "tool_call", state: "denied", confirmation: { result: "deny", actor: ci } });
    expect(custom).toMatchObject({ kind: "tool_call", result: { actor: alice } });
    expect(interrupt).toMatchObject({ kind: "interrupt", actor: ci });
    expect(reply).not.toHaveProperty("actor");
    // in pieces as in one go
    expect(foldTimeline(timelineOf(toViewEvents(log.slice(0, 3), "member")), toViewEvents(log.slice(3), "member")).items).toEqual(t.items);
  });

  it("names the member by display name and the key as `API key <name>`, as the names read now say", () => {
    expect(actorLabel(alice, names)).toBe("Alice Liddell");
    expect(actorLabel(ci, names)).toBe("API key ci-bot");
    expect(actorLabel(alice, { ...names, members: { user_alice: "Alice L." } })).toBe("Alice L.");
    expect(actorLabel({ kind: "member", userId: "user_new" }, names)).toBe("A teammate");
    expect(actorLabel({ kind: "api_key", keyId: "apikey_gone" }, names)).toBe("An API key");
  });

  it("shows the names in a member's timeline, and nothing of them to the API or a share-link guest", () => {
    const render = (audience: "member" | "guest", withNames: boolean) =>
      timelineOf(toViewEvents(log, audience))
        .items.map((item) => {
          const element = createElement(TimelineItem, { item, place: "past", agentName: "Agent", expanded: false, onToggle: () => {}, onJump: () => {} });
          return renderToStaticMarkup(withNames ? createElement(ActorNamesProvider, { names, children: element }) : element);
        })
        .join("\n");
    const member = render("member", true);
    expect(member).toMatch(/data-testid="sent-by">Alice Liddell</);
    expect(member).toMatch(/data-testid="answered-by">denied by <span[^>]*>API key ci-bot</);
    expect(member).toMatch(/data-testid="answered-by">result by <span[^>]*>Alice Liddell</);
    expect(member).toMatch(/Interrupted by the user <span data-testid="sent-by"[^>]*>by <span[^>]*>API key ci-bot</);
    // the API's wire form and a guest's replay carry no sender at all
    expect(JSON.stringify(toViewEvents(log, "api"))).not.toMatch(/actor|user_alice|apikey_ci/);
    expect(JSON.stringify(toViewEvents(log, "guest"))).not.toMatch(/actor|user_alice|apikey_ci/);
    const guest = render("guest", false);
    expect(guest).not.toMatch(/sent-by|answered-by|Alice|ci-bot/);
    expect(guest).toContain(">User<");
  });
});
