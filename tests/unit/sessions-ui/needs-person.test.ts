import { describe, expect, it } from "vitest";
import { attentionTitle, badgeText, baseTitle, newlyWaiting, notificationText, summarizeInput } from "@/lib/sessions/ui/needs-person";
import { pendingActions } from "@/lib/sessions/ui/pending-actions";
import { timelineOf } from "@/lib/timeline/fold-timeline";
import { LogBuilder } from "./events";

/** A turn that stops on a bash call that asks first and a custom tool the client answers. */
function waiting() {
  const log = new LogBuilder();
  log.userMessage("clean up and look up Ada");
  log.running();
  const start = log.requestStart();
  const bash = log.add({ type: "agent.tool_use", name: "bash", input: { command: "rm -rf build\n  && echo done" }, evaluated_permission: "ask" });
  const lookup = log.add({ type: "agent.custom_tool_use", name: "lookup_customer", input: { email: "ada@example.com", token: "s3cret" } });
  log.requestEnd(start);
  log.idle({ type: "requires_action", event_ids: [bash.id, lookup.id] });
  return { actions: pendingActions(timelineOf(log.events)), bash, lookup };
}

describe("a session that needs a person, outside its timeline", () => {
  it("sums a call's input up in one line: a command as is, anything else as JSON, cut to fit", () => {
    expect(summarizeInput({ input: { command: "rm -rf build\n  && echo done" } })).toBe("rm -rf build && echo done");
    expect(summarizeInput({ input: { email: "ada@example.com" } })).toBe('{"email":"ada@example.com"}');
    expect(summarizeInput({ input: {} })).toBe("");
    const long = summarizeInput({ input: { command: "x".repeat(500) } }, 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith("…")).toBe(true);
  });

  it("prefixes the tab's title with the count while something waits, and takes it off again", () => {
    expect(attentionTitle("Build · Open Managed Agents", 1)).toBe("(1) Needs you · Build · Open Managed Agents");
    // a second change replaces the prefix rather than stacking another
    expect(attentionTitle("(1) Needs you · Build · Open Managed Agents", 3)).toBe("(3) Needs you · Build · Open Managed Agents");
    expect(attentionTitle("(3) Needs you · Build · Open Managed Agents", 0)).toBe("Build · Open Managed Agents");
    expect(baseTitle("Build · Open Managed Agents")).toBe("Build · Open Managed Agents");
  });

  it("fits the badge's count into a small icon", () => {
    expect(badgeText(1)).toBe("1");
    expect(badgeText(9)).toBe("9");
    expect(badgeText(12)).toBe("9+");
  });

  it("notifies only of calls that were not waiting before, naming the tool and nothing of its input", () => {
    const { actions, bash, lookup } = waiting();
    expect(newlyWaiting(new Set(), actions).map((a) => a.call.key)).toEqual([bash.id, lookup.id]);
    expect(newlyWaiting(new Set([bash.id]), actions).map((a) => a.call.key)).toEqual([lookup.id]);
    expect(newlyWaiting(new Set([bash.id, lookup.id]), actions)).toEqual([]);

    const text = notificationText(actions)!;
    expect(text).toEqual({ title: "A session needs you", body: "The agent asks to run bash (and 1 more)." });
    expect(notificationText(newlyWaiting(new Set([bash.id]), actions))!.body).toBe("The agent waits for the result of lookup_customer.");
    expect(JSON.stringify(notificationText(actions))).not.toMatch(/rm -rf|s3cret|ada@example/);
    expect(notificationText([])).toBeNull();
  });
});
