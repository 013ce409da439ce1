import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { DemoModelClient } from "@/lib/model/demo-model-client";
import { isAbortError, type TModelDelta, type TModelRequest } from "@/lib/model/types";
import { letTimePass } from "@/tests/fixtures/wait";

const tool = (name: string): Tool => ({ name, input_schema: { type: "object", properties: {} } });
const TOOLS = [tool("bash"), tool("read"), tool("write")];

function request(messages: MessageParam[], tools: Tool[] = TOOLS): TModelRequest {
  return { model: "claude-any", maxTokens: 1024, messages, tools };
}

const ask = (text: string, tools?: Tool[]) => request([{ role: "user", content: text }], tools);
const instant = () => new DemoModelClient({ firstTokenDelayMs: 0, chunkDelayMs: 0 });

function textOf(response: { content: Array<{ type: string; text?: string }> }): string {
  return response.content.map((block) => block.text ?? "").join("");
}

describe("DemoModelClient", () => {
  it("describes itself as the built-in demo model", () => {
    expect(new DemoModelClient().description).toBe("Built-in demo model (no ANTHROPIC_API_KEY set)");
  });

  it("says plainly what it is, echoes the message and explains how to configure a key", async () => {
    const response = await instant().stream(ask("Hello, who are you?"), {});
    const text = textOf(response);
    expect(text).toMatch(/built-in demo model/i);
    expect(text).toContain("no ANTHROPIC_API_KEY is configured");
    expect(text).toContain('You said: "Hello, who are you?"');
    expect(text).toContain("set ANTHROPIC_API_KEY");
    expect(response.stopReason).toBe("end_turn");
    expect(response.content).toHaveLength(1);
  });

  it("echoes only the first 200 characters of a long message", async () => {
    const long = `${"a".repeat(200)}TAIL-NOT-ECHOED`;
    const text = textOf(await instant().stream(ask(long), {}));
    expect(text).toContain(`"${"a".repeat(200)}…"`);
    expect(text).not.toContain("TAIL-NOT-ECHOED");
  });

  it("streams its answer word by word: the deltas concatenate to the final text", async () => {
    const deltas: TModelDelta[] = [];
    const response = await instant().stream(ask("hi"), { onDelta: (delta) => deltas.push(delta) });
    expect(deltas[0]).toEqual({ type: "block_start", index: 0, blockType: "text" });
    const pieces = deltas.filter((delta) => delta.type === "text").map((delta) => delta.text);
    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.every((piece) => piece.trim().split(/\s+/).length <= 1)).toBe(true);
    expect(pieces.join("")).toBe(textOf(response));
  });

  it("pauses between words, like a model writing", async () => {
    const arrivals: number[] = [];
    const startedAt = Date.now();
    await new DemoModelClient({ firstTokenDelayMs: 50, chunkDelayMs: 2 }).stream(ask("hi"), {
      onDelta: (delta) => {
        if (delta.type === "text") arrivals.push(Date.now());
      },
    });
    expect(arrivals[0]! - startedAt).toBeGreaterThanOrEqual(45);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(arrivals.length - 1);
  });

  it("by default, waits a little before answering", async () => {
    const startedAt = Date.now();
    let firstAt = 0;
    const controller = new AbortController();
    await new DemoModelClient()
      .stream(ask("hi"), {
        signal: controller.signal,
        onDelta: (delta) => {
          if (delta.type !== "text") return;
          firstAt = Date.now();
          controller.abort();
        },
      })
      .catch(() => undefined);
    expect(firstAt - startedAt).toBeGreaterThanOrEqual(100);
  });

  it.each([
    ["a command in backticks", "please run `ls -la /workspace` for me", "ls -la /workspace"],
    ["a run prefix", "run echo hello world", "echo hello world"],
    ["a capitalised Run prefix", "Run uname -a", "uname -a"],
    ["a $ prefix", "$ cat notes.txt", "cat notes.txt"],
    ["a fenced block", "try this:\n```bash\nls\npwd\n```", "ls\npwd"],
  ])("answers %s with a bash tool_use", async (_name, said, command) => {
    const deltas: TModelDelta[] = [];
    const response = await instant().stream(ask(said), { onDelta: (delta) => deltas.push(delta) });
    expect(response.stopReason).toBe("tool_use");
    expect(response.content[0]).toMatchObject({ type: "text" });
    expect(response.content[1]).toEqual({ type: "tool_use", id: "toolu_demo_1", name: "bash", input: { command } });
    expect(deltas).toContainEqual({ type: "block_start", index: 1, blockType: "tool_use" });
  });

  it("does not call bash when the request offers no bash tool", async () => {
    const response = await instant().stream(ask("run ls", [tool("read")]), {});
    expect(response.content.map((block) => block.type)).toEqual(["text"]);
    expect(response.stopReason).toBe("end_turn");
    expect(textOf(response)).not.toContain("`run ls -la`");
  });

  it.each([
    ['create a file hello.txt with content "Hello, world!"', "hello.txt", "Hello, world!"],
    ["Write a file named notes/todo.md containing: buy milk", "notes/todo.md", "buy milk"],
    ["please create the file `a.py` with the content print(1)", "a.py", "print(1)"],
  ])("answers %j with a write tool_use", async (said, filePath, content) => {
    const response = await instant().stream(ask(said), {});
    expect(response.stopReason).toBe("tool_use");
    expect(response.content[1]).toEqual({
      type: "tool_use",
      id: "toolu_demo_1",
      name: "write",
      input: { file_path: filePath, content },
    });
  });

  it("does not write files when the request offers no write tool", async () => {
    const response = await instant().stream(ask("create a file a.txt with content hi", [tool("bash")]), {});
    expect(response.content.map((block) => block.type)).toEqual(["text"]);
  });

  it("summarises a bash result with its first lines and ends the turn", async () => {
    const output = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join("\n");
    const response = await instant().stream(
      request([
        { role: "user", content: "run seq" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_demo_1", name: "bash", input: { command: "x" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_demo_1", content: output }] },
      ]),
      {},
    );
    const text = textOf(response);
    expect(text).toMatch(/^The command printed:/);
    expect(text).toContain("line 1\n");
    expect(text).toContain("line 10");
    expect(text).not.toContain("line 11");
    expect(text).toContain("(15 more lines)");
    expect(response.stopReason).toBe("end_turn");
    expect(response.content.map((block) => block.type)).toEqual(["text"]);
  });

  it("reports a failed tool result as an error", async () => {
    const response = await instant().stream(
      request([
        { role: "user", content: "run false" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_demo_1", name: "bash", input: { command: "false" } }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_demo_1", is_error: true, content: [{ type: "text", text: "Exit code 1" }] },
          ],
        },
      ]),
      {},
    );
    expect(textOf(response)).toBe("The command failed:\n\nExit code 1");
  });

  it("numbers its tool calls after those already in the conversation", async () => {
    const response = await instant().stream(
      request([
        { role: "user", content: "run ls" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_demo_1", name: "bash", input: { command: "ls" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_demo_1", content: "a" }] },
        { role: "assistant", content: "The command printed: a" },
        { role: "user", content: "run pwd" },
      ]),
      {},
    );
    expect(response.content[1]).toMatchObject({ id: "toolu_demo_2", input: { command: "pwd" } });
  });

  it("is deterministic and estimates usage from the sizes of request and answer", async () => {
    const small = await instant().stream(ask("hi"), {});
    const again = await instant().stream(ask("hi"), {});
    expect(again).toEqual(small);
    const big = await instant().stream(ask(`hi ${"x".repeat(4000)}`), {});
    expect(big.usage.input_tokens - small.usage.input_tokens).toBeGreaterThanOrEqual(1000);
    expect(small.usage.output_tokens).toBe(Math.ceil(textOf(small).length / 4));
    expect(small.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it("stops mid-stream with an AbortError when the signal aborts", async () => {
    const controller = new AbortController();
    const deltas: TModelDelta[] = [];
    const error = await new DemoModelClient({ firstTokenDelayMs: 0, chunkDelayMs: 1 })
      .stream(ask("hello"), {
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta);
          if (deltas.length === 4) controller.abort();
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).name).toBe("AbortError");
    expect(deltas).toHaveLength(4);
  });

  it("aborts during the pause before the first word", async () => {
    const controller = new AbortController();
    const pending = new DemoModelClient({ firstTokenDelayMs: 10_000 }).stream(ask("hello"), { signal: controller.signal });
    const startedAt = Date.now();
    void letTimePass(20, "a moment into the 10 s pause").then(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - startedAt).toBeLessThan(5_000); // well before the 10 s pause would end
  });
});
