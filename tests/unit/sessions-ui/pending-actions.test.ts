import { describe, expect, it } from "vitest";
import { announcementsBetween } from "@/lib/sessions/ui/announce";
import { pendingActions } from "@/lib/sessions/ui/pending-actions";
import { queuedMessageKeys } from "@/lib/sessions/ui/queued-messages";
import { timelineOf } from "@/lib/timeline/fold-timeline";
import { LogBuilder } from "./events";

/** A turn that stops on a bash call that asks first and a custom tool the client answers. */
function waitingLog() {
  const log = new LogBuilder();
  log.userMessage("clean up and look up Ada");
  log.running();
  const start = log.requestStart();
  const bash = log.add({ type: "agent.tool_use", name: "bash", input: { command: "rm -rf build" }, evaluated_permission: "ask" });
  const lookup = log.add({ type: "agent.custom_tool_use", name: "lookup_customer", input: { email: "ada@example.com" } });
  log.requestEnd(start);
  log.idle({ type: "requires_action", event_ids: [bash.id, lookup.id] });
  return { log, bash, lookup };
}

describe("what the session waits for from a person", () => {
  it("lists the calls its requires_action names: approve or deny, and give a result", () => {
    const { log, bash, lookup } = waitingLog();
    const actions = pendingActions(timelineOf(log.events));
    expect(actions.map((a) => [a.kind, a.call.key, a.call.name])).toEqual([
      ["confirm", bash.id, "bash"],
      ["custom_result", lookup.id, "lookup_customer"],
    ]);
  });

  it("drops a call once anyone answered it", () => {
    const { log, bash, lookup } = waitingLog();
    log.add({ type: "user.tool_confirmation", tool_use_id: bash.id, result: "deny", deny_message: "not now" });
    expect(pendingActions(timelineOf(log.events)).map((a) => a.call.key)).toEqual([lookup.id]);
    log.add({ type: "user.custom_tool_result", custom_tool_use_id: lookup.id, content: [{ type: "text", text: "{}" }] });
    expect(pendingActions(timelineOf(log.events))).toEqual([]);
  });

  it("offers nothing while the session runs, nor for calls an earlier stop listed", () => {
    const { log, bash } = waitingLog();
    log.add({ type: "user.tool_confirmation", tool_use_id: bash.id, result: "allow" });
    log.running();
    expect(pendingActions(timelineOf(log.events))).toEqual([]);
    log.idle({ type: "end_turn" });
    expect(pendingActions(timelineOf(log.events))).toEqual([]);
  });
});

describe("queued messages", () => {
  it("are the messages sent after the running turn's latest model request started", () => {
    const log = new LogBuilder();
    const first = log.userMessage("write a long essay");
    log.running();
    const start = log.requestStart();
    expect(queuedMessageKeys(timelineOf(log.events)).size).toBe(0);
    const extra = log.userMessage("and keep it short");
    expect([...queuedMessageKeys(timelineOf(log.events))]).toEqual([extra.id]);
    // the next request reads it
    log.agentMessage("Working on it.");
    log.requestEnd(start);
    log.requestStart();
    expect(queuedMessageKeys(timelineOf(log.events)).size).toBe(0);
    expect(first.id).not.toBe(extra.id);
  });

  it("are none once the session is idle", () => {
    const log = new LogBuilder();
    log.turn("hi", "hello");
    log.userMessage("again");
    expect(queuedMessageKeys(timelineOf(log.events)).size).toBe(0);
  });
});

describe("announcements for screen readers", () => {
  it("say what arrived: messages, calls waiting for someone, the turn's start and end", () => {
    const { log } = waitingLog();
    const before = timelineOf(log.events.slice(0, 1));
    const lines = announcementsBetween(before, timelineOf(log.events), "Helper");
    expect(lines).toEqual(["The agent is working.", "Tool bash is waiting for approval.", "Custom tool lookup_customer is waiting for a result.", "The agent is waiting for input."]);
  });

  it("shorten long messages and stay silent when nothing was added", () => {
    const log = new LogBuilder();
    log.agentMessage("word ".repeat(100));
    const timeline = timelineOf(log.events);
    const [line] = announcementsBetween(timelineOf([]), timeline, null);
    expect(line!.startsWith("Agent: word word")).toBe(true);
    expect(line!.length).toBeLessThan(200);
    expect(announcementsBetween(timeline, timeline, null)).toEqual([]);
  });
});
