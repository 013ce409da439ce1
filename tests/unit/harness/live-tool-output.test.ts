import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveToolOutput } from "@/lib/harness/live-tool-output";
import type { TSandboxPlan } from "@/lib/harness/provision-context";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { wake } from "@/lib/harness/wake";
import { textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { decodeEnvelope, encodeEnvelope } from "@/lib/realtime/bus-envelope";
import { TOOL_OUTPUT_PREVIEW_MAX_CHARS, type TToolOutputPreview } from "@/lib/realtime/event-bus";
import { createStreamRedactor } from "@/lib/redact";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import type { TStoredEvent } from "@/lib/event-log/events";
import { harnessFixture, ofType, textOf, userMessage } from "./harness-fixture";

const SECRET = "sk-live-vault-secret-9f8e7d";

function collector(options: { maxChars?: number; secrets?: string[] } = {}) {
  const published: TToolOutputPreview[] = [];
  const live = new LiveToolOutput({
    toolUseId: "sevt_use_1",
    publish: (preview) => published.push(preview),
    redactor: () => createStreamRedactor(options.secrets ?? []),
    ...(options.maxChars === undefined ? {} : { maxChars: options.maxChars }),
  });
  const text = (stream: "stdout" | "stderr") => published.filter((p) => p.stream === stream).map((p) => p.text).join("");
  return { live, published, text };
}

describe("LiveToolOutput: a running command's output as bounded previews", () => {
  afterEach(() => void vi.useRealTimers());

  it("gathers chunks and publishes them together, per stream, once per flush interval", () => {
    vi.useFakeTimers();
    const { live, published, text } = collector();
    for (let i = 0; i < 50; i++) live.push("stdout", Buffer.from(`line ${i}\n`));
    live.push("stderr", Buffer.from("warning\n"));
    expect(published).toHaveLength(0); // nothing until the interval ends
    vi.runOnlyPendingTimers();
    expect(published.map((p) => p.stream)).toEqual(["stdout", "stderr"]);
    expect(text("stdout")).toBe(Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(""));
    expect(text("stderr")).toBe("warning\n");
    live.push("stdout", Buffer.from("more\n"));
    live.close();
    expect(published.at(-1)).toEqual({ type: "tool_output", tool_use_id: "sevt_use_1", stream: "stdout", text: "more\n" });
    live.push("stdout", Buffer.from("after the end\n"));
    vi.runOnlyPendingTimers();
    expect(text("stdout")).not.toContain("after the end");
  });

  it("caps what one call publishes, says so once, and publishes nothing after", () => {
    const { live, published, text } = collector({ maxChars: 100 });
    live.push("stdout", Buffer.from("a".repeat(60)));
    live.flush();
    live.push("stdout", Buffer.from("b".repeat(10_000)));
    live.push("stderr", Buffer.from("c".repeat(10)));
    live.flush();
    live.push("stdout", Buffer.from("d".repeat(10)));
    live.close();
    expect(text("stdout") + text("stderr")).toHaveLength(100);
    expect(text("stdout")).toBe("a".repeat(60) + "b".repeat(40));
    expect(published.filter((p) => p.truncated)).toHaveLength(1);
    expect(published.at(-1)!.truncated).toBe(true);
  });

  it("never publishes more than the bus envelope accepts, whatever the cap asked for", () => {
    const { live, published } = collector({ maxChars: 10 * TOOL_OUTPUT_PREVIEW_MAX_CHARS });
    live.push("stdout", Buffer.from("x".repeat(3 * TOOL_OUTPUT_PREVIEW_MAX_CHARS)));
    live.close();
    for (const preview of published) {
      const decoded = decodeEnvelope(encodeEnvelope({ v: 1, origin: "test", sessionId: "sesn_1", message: { kind: "preview", preview } }));
      expect(decoded.ok).toBe(true);
    }
    expect(decodeEnvelope(encodeEnvelope({ v: 1, origin: "t", sessionId: "s", message: { kind: "preview", preview: { type: "tool_output", tool_use_id: "u", stream: "stdout", text: "x".repeat(TOOL_OUTPUT_PREVIEW_MAX_CHARS + 1) } } })).ok).toBe(false);
  });

  it("decodes a character split between chunks and redacts a secret split between chunks", () => {
    const { live, text } = collector({ secrets: [SECRET] });
    const bytes = Buffer.from(`é token=${SECRET} done\n`);
    for (let i = 0; i < bytes.length; i += 3) {
      live.push("stdout", bytes.subarray(i, i + 3));
      live.flush();
    }
    live.close();
    expect(text("stdout")).toBe("é token=[redacted] done\n");
  });
});

describe("live output of a bash call in a wake", () => {
  it("publishes the command's output redacted of the session's secrets, before its result is recorded", async () => {
    const provider = new FakeSandboxProvider({
      exec: (_command, options) => {
        const half = SECRET.length / 2;
        options.onOutput?.("stdout", Buffer.from(`the key is ${SECRET.slice(0, half)}`));
        options.onOutput?.("stdout", Buffer.from(`${SECRET.slice(half)}\n`));
        options.onOutput?.("stderr", Buffer.from(`warning: ${Buffer.from(SECRET).toString("base64")}\n`));
        return { exitCode: 0, stdout: `the key is ${SECRET}\n`, stderr: "warning\n" };
      },
    });
    const plan = async (): Promise<TSandboxPlan> => ({ environment: null, options: {}, secrets: [SECRET] });
    const h = await harnessFixture({
      script: [toolUseTurn("bash", { command: "print-the-key" }), textTurn("done")],
      deps: { sandboxes: new SandboxPool(provider, { plan }) },
    });
    await h.send(userMessage("go"));
    await wake(h.sessionId, h.deps);

    const events = await h.events();
    const use = ofType(events, "agent.tool_use")[0]!;
    const result = ofType(events, "agent.tool_result")[0]!;
    expect(textOf(result)).toContain("[redacted]");
    const order = h.published.flatMap((m): Array<TToolOutputPreview | TStoredEvent> =>
      m.kind === "preview" && m.preview.type === "tool_output" ? [m.preview] : m.kind === "events" ? m.events.filter((e) => e.id === result.id) : [],
    );
    const previews = order.filter((item): item is TToolOutputPreview => "type" in item && item.type === "tool_output");
    expect(previews.every((p) => p.tool_use_id === use.id)).toBe(true);
    expect(previews.filter((p) => p.stream === "stdout").map((p) => p.text).join("")).toBe("the key is [redacted]\n");
    expect(previews.filter((p) => p.stream === "stderr").map((p) => p.text).join("")).toBe("warning: [redacted]\n");
    expect(JSON.stringify(h.published)).not.toContain(SECRET);
    expect(JSON.stringify(h.published)).not.toContain(Buffer.from(SECRET).toString("base64"));
    // every preview before the result event
    expect(order.at(-1)).toMatchObject({ id: result.id });
    expect(order.length).toBe(previews.length + 1);
  });
});
