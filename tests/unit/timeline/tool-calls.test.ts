import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ToolCall } from "@/components/timeline/tool-call";
import type { TEventBody } from "@/lib/event-log/events";
import { foldTimeline, INITIAL_TIMELINE, timelineOf, type TTimelineEvent, type TToolCallItem } from "@/lib/timeline/fold-timeline";
import { formatDuration, parseCommandResult, toolCallDurationMs, toolCallView } from "@/lib/timeline/tool-call-view";

/** A log built event by event; `ms` after noon is each event's time. */
class Log {
  readonly events: TTimelineEvent[] = [];
  add(body: TEventBody, ms = this.events.length * 1_000): TTimelineEvent {
    const seq = this.events.length + 1;
    const event = { ...body, id: `sevt_${seq}`, seq, processed_at: new Date(Date.UTC(2026, 0, 1, 12) + ms).toISOString() } as TTimelineEvent;
    this.events.push(event);
    return event;
  }
  bash(command: string, ms?: number, permission?: "allow" | "ask") {
    return this.add({ type: "agent.tool_use", name: "bash", input: { command }, evaluated_permission: permission ?? "allow" }, ms);
  }
  result(use: TTimelineEvent, text: string, isError: boolean, ms?: number) {
    return this.add({ type: "agent.tool_result", tool_use_id: use.id, is_error: isError, content: [{ type: "text", text }] }, ms);
  }
}

const calls = (events: readonly TTimelineEvent[]) => timelineOf(events).items.filter((item): item is TToolCallItem => item.kind === "tool_call");
const html = (item: TToolCallItem, expanded = false) => renderToStaticMarkup(createElement(ToolCall, { item, expanded, onToggle: () => {}, onJump: () => {} }));
const badge = (markup: string) => /data-testid="tool-state">([^<]*)</.exec(markup)?.[1];

describe("an interrupted tool call", () => {
  /** What the harness writes when a person interrupts a running call (lib/harness/plan-next-step.ts). */
  function interruptedRun(): { log: Log; use: TTimelineEvent } {
    const log = new Log();
    log.add({ type: "user.message", content: [{ type: "text", text: "run the tests" }] });
    log.add({ type: "session.status_running" });
    const use = log.bash("npm test");
    log.add({ type: "user.interrupt" });
    log.result(use, "Interrupted by the user.", true);
    log.add({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    return { log, use };
  }

  it("is badged Interrupted, not Error", () => {
    const { log } = interruptedRun();
    const [call] = calls(log.events);
    expect(call).toMatchObject({ state: "interrupted", interruptSeq: 4, result: { isError: true } });
    const markup = html(call!);
    expect(badge(markup)).toBe("Interrupted");
    expect(markup).not.toContain(">Error<");
    // the harness's words are not the command's output: no exit status is made up for it
    expect(markup).not.toContain('data-testid="exit-status"');
    expect(markup).toContain("Interrupted by the user.");
  });

  it("so is a call waiting for approval or for the client when the interrupt comes", () => {
    const log = new Log();
    const asking = log.bash("rm -rf build", undefined, "ask");
    const custom = log.add({ type: "agent.custom_tool_use", name: "lookup", input: {} });
    log.add({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [asking.id, custom.id] } });
    log.add({ type: "user.interrupt" });
    log.result(asking, "Interrupted by the user.", true);
    log.add({ type: "user.custom_tool_result", custom_tool_use_id: custom.id, is_error: true, content: [{ type: "text", text: "Interrupted by the user." }] });
    expect(calls(log.events).map((call) => call.state)).toEqual(["interrupted", "interrupted"]);
  });

  it("is still an error when the tool failed on its own, and done when it finished in time", () => {
    const log = new Log();
    const failed = log.bash("false");
    log.result(failed, "Exit code 1", true);
    const quick = log.bash("echo hi");
    log.add({ type: "user.interrupt" });
    log.result(quick, "hi", false); // it finished before the harness saw the interrupt
    const [first, second] = calls(log.events);
    expect(first!.state).toBe("error");
    expect(badge(html(first!))).toBe("Error");
    expect(first!.interruptSeq).toBeNull(); // an interrupt after its result does not touch it
    expect(second!.state).toBe("done");
  });

  it("an interrupt marks only calls still open, and a denied call stays denied", () => {
    const log = new Log();
    const denied = log.add({ type: "agent.tool_use", name: "bash", input: { command: "x" }, evaluated_permission: "deny" });
    log.add({ type: "user.interrupt" });
    log.result(denied, "Interrupted by the user.", true);
    expect(calls(log.events)[0]!.state).toBe("denied");
  });

  it("folds the same in pieces as in one go", () => {
    const { log } = interruptedRun();
    for (let cut = 1; cut < log.events.length; cut++) {
      const pieces = foldTimeline(foldTimeline(INITIAL_TIMELINE, log.events.slice(0, cut)), log.events.slice(cut));
      expect(pieces.items).toEqual(timelineOf(log.events).items);
    }
  });
});

describe("a bash call as a terminal shows it", () => {
  it("reads the exit code, a timeout or a kill off the bash tool's result", () => {
    expect(parseCommandResult("hello\nworld", false)).toEqual({ output: "hello\nworld", stderr: "", end: { type: "exit", code: 0 }, truncated: false });
    expect(parseCommandResult("(no output)", false)).toEqual({ output: "", stderr: "", end: { type: "exit", code: 0 }, truncated: false });
    expect(parseCommandResult("oops\nExit code 2", true)).toEqual({ output: "oops", stderr: "", end: { type: "exit", code: 2 }, truncated: false });
    expect(parseCommandResult("partial\nCommand timed out after 120000 ms and was killed.", true)).toMatchObject({ output: "partial", end: { type: "timeout", afterMs: 120_000 } });
    expect(parseCommandResult("Command was killed by SIGKILL.", true)).toMatchObject({ output: "", end: { type: "killed", signal: "SIGKILL" } });
    expect(parseCommandResult("a\n(output was truncated in the middle)\nExit code 1", true)).toEqual({ output: "a", stderr: "", end: { type: "exit", code: 1 }, truncated: true });
    // an error in words of its own (the sandbox did not start): no exit status is made up
    expect(parseCommandResult("The sandbox could not be started: no space", true)).toEqual({ output: "The sandbox could not be started: no space", stderr: "", end: null, truncated: false });
  });

  it("tells stderr from stdout by the bash tool's [stderr] line, and shows it red and labelled", () => {
    // what lib/tools/bash.ts formatExecResult writes: stdout, then [stderr] and stderr, then how it ended
    expect(parseCommandResult("built\n[stderr]\nwarning: slow\nExit code 1", true)).toEqual({ output: "built", stderr: "warning: slow", end: { type: "exit", code: 1 }, truncated: false });
    expect(parseCommandResult("[stderr]\nonly errors\n(output was truncated in the middle)\nExit code 2", true)).toEqual({ output: "", stderr: "only errors", end: { type: "exit", code: 2 }, truncated: true });
    const log = new Log();
    const use = log.bash("make", 0);
    log.result(use, "compiling\n[stderr]\nerror: missing ;\nExit code 2", true, 900);
    const [call] = calls(log.events);
    expect(toolCallView(call!)).toMatchObject({ kind: "terminal", output: "compiling", stderr: "error: missing ;", end: { type: "exit", code: 2 } });
    const markup = html(call!);
    expect(markup).toMatch(/aria-label="Output of bash"[^>]*>compiling</);
    expect(markup).toMatch(/data-testid="stderr"[\s\S]*>stderr<[\s\S]*aria-label="Errors \(stderr\) of bash" class="[^"]*text-red-300[^"]*">error: missing ;</);
    expect(markup).toMatch(/data-testid="exit-status">exit 2</);
    // a result logged before the marker: one stream, no stderr section
    const old = new Log();
    old.result(old.bash("make", 0), "compiling\nerror: missing ;\nExit code 2", true);
    expect(html(calls(old.events)[0]!)).not.toContain('data-testid="stderr"');
  });

  it("shows the command, its output, the exit code and how long it took", () => {
    const log = new Log();
    const use = log.bash("make test", 0);
    log.result(use, "compiling\n2 tests failed\nExit code 2", true, 4_200);
    const [call] = calls(log.events);
    expect(toolCallView(call!)).toMatchObject({ kind: "terminal", command: "make test", output: "compiling\n2 tests failed", end: { type: "exit", code: 2 } });
    expect(toolCallDurationMs(call!)).toBe(4_200);
    const markup = html(call!);
    expect(markup).toContain("make test");
    expect(markup).toMatch(/aria-label="Output of bash"[^>]*>compiling\n2 tests failed</);
    expect(markup).toMatch(/data-testid="exit-status">exit 2</);
    expect(markup).toMatch(/data-testid="duration">4.2 s</);
  });

  it("times a call that asked first from its approval, not from when it was asked", () => {
    const log = new Log();
    const use = log.bash("deploy", 0, "ask");
    log.add({ type: "user.tool_confirmation", tool_use_id: use.id, result: "allow" }, 60_000);
    log.result(use, "ok", false, 61_500);
    expect(toolCallDurationMs(calls(log.events)[0]!)).toBe(1_500);
  });

  it("says a call is running before its result, with no exit status or duration yet", () => {
    const log = new Log();
    log.bash("sleep 100");
    const [call] = calls(log.events);
    expect(toolCallDurationMs(call!)).toBeNull();
    const markup = html(call!);
    expect(markup).toContain("running…");
    expect(markup).not.toContain("Output of bash");
  });

  it("folds long output to its first and last lines, with a button for all of them", () => {
    const log = new Log();
    const use = log.bash("seq 1 300");
    log.result(use, Array.from({ length: 300 }, (_, i) => String(i + 1)).join("\n"), false);
    const markup = html(calls(log.events)[0]!);
    const output = /aria-label="Output of bash"[^>]*>([\s\S]*?)<\/pre>/.exec(markup)![1]!.replace(/<[^>]+>/g, "");
    const lines = output.split("\n");
    expect(lines.slice(0, 5)).toEqual(["1", "2", "3", "4", "5"]);
    expect(lines).toContain("⋯ 280 more lines");
    expect(lines.slice(-15)).toEqual(Array.from({ length: 15 }, (_, i) => String(286 + i)));
    expect(lines).not.toContain("6");
    expect(markup).toContain("Show all 300 lines");
  });

  it("formats durations for people", () => {
    expect([850, 4_200, 42_000, 185_000, 120_000].map(formatDuration)).toEqual(["850 ms", "4.2 s", "42 s", "3 min 5 s", "2 min"]);
  });
});

describe("a file edit", () => {
  it("shows an edit as the diff of the text it replaced", () => {
    const log = new Log();
    const use = log.add({
      type: "agent.tool_use",
      name: "edit",
      input: { file_path: "src/app.ts", old_string: "const a = 1;\nconst b = 2;\nexport { a, b };", new_string: "const a = 1;\nconst b = 3;\nconst c = 4;\nexport { a, b };" },
      evaluated_permission: "allow",
    });
    log.result(use, "Edited /workspace/src/app.ts: replaced 1 occurrence.", false);
    const [call] = calls(log.events);
    const view = toolCallView(call!);
    expect(view).toMatchObject({ kind: "edit", path: "src/app.ts", added: 2, removed: 1, replaceAll: false });
    const rows = view.kind === "edit" ? view.segments.flatMap((s) => (s.type === "lines" ? s.lines.map((l) => `${l.kind === "added" ? "+" : l.kind === "removed" ? "-" : " "}${l.text}`) : [])) : [];
    expect(rows).toEqual([" const a = 1;", "-const b = 2;", "+const b = 3;", "+const c = 4;", " export { a, b };"]);
    const markup = html(call!);
    expect(markup).toContain('aria-label="Changes to src/app.ts"');
    expect(markup).toMatch(/data-diff="removed"[\s\S]*?Removed: <\/span>const b = 2;/);
    expect(markup).toMatch(/data-diff="added"[\s\S]*?Added: <\/span>const c = 4;/);
    expect(markup).toContain("Edited /workspace/src/app.ts");
  });

  it("shows a write as the lines it wrote, folded when long", () => {
    const log = new Log();
    log.add({ type: "agent.tool_use", name: "write", input: { file_path: "notes.txt", content: Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join("\n") + "\n" }, evaluated_permission: "allow" });
    const [call] = calls(log.events);
    expect(toolCallView(call!)).toMatchObject({ kind: "write", path: "notes.txt" });
    const markup = html(call!);
    expect(markup).toContain("+ line 1\n");
    expect(markup).toContain("+ line 60");
    expect(markup).not.toContain("+ line 30\n");
    expect(markup).toContain("Show all 60 lines");
  });

  it("shows any other tool by its output, and its input when opened", () => {
    const log = new Log();
    const use = log.add({ type: "agent.mcp_tool_use", mcp_server_name: "docs", name: "search", input: { query: "sandbox" }, evaluated_permission: "allow" });
    log.add({ type: "agent.mcp_tool_result", mcp_tool_use_id: use.id, is_error: false, content: [{ type: "text", text: "3 pages found" }] });
    const [call] = calls(log.events);
    expect(toolCallView(call!)).toEqual({ kind: "generic", output: "3 pages found" });
    expect(html(call!)).toContain("3 pages found");
    expect(html(call!)).not.toContain("Input of search");
    expect(html(call!, true)).toContain("Input of search");
  });
});
