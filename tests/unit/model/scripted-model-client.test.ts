import { describe, expect, it } from "vitest";
import { ScriptedModelClient, textTurn, toolUseTurn } from "@/lib/model/scripted-model-client";
import { isAbortError, ModelError, type TModelDelta, type TModelRequest } from "@/lib/model/types";
import { observeFor } from "@/tests/fixtures/wait";

const request = (text: string): TModelRequest => ({
  model: "claude-test",
  maxTokens: 100,
  system: [{ type: "text", text: "Be brief." }],
  messages: [{ role: "user", content: text }],
});

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => Promise.reject(new Error("expected the call to fail")),
    (error: unknown) => error,
  );

describe("ScriptedModelClient", () => {
  it("answers the scripted turns in order and records every call", async () => {
    const model = new ScriptedModelClient([textTurn("first"), textTurn("second")]);
    const before = Date.now();
    const one = await model.stream(request("a"), {});
    const two = await model.stream(request("b"), {});
    expect(one.content).toEqual([{ type: "text", text: "first" }]);
    expect(two.content).toEqual([{ type: "text", text: "second" }]);
    expect(one.stopReason).toBe("end_turn");
    expect(model.calls.map((call) => call.request.messages[0]?.content)).toEqual(["a", "b"]);
    expect(model.calls[0]!.startedAt).toBeGreaterThanOrEqual(before);
    expect(model.description).toBe("scripted model");
  });

  it("records a deep copy of the request, unaffected by later changes", async () => {
    const model = new ScriptedModelClient([textTurn("ok")]);
    const req = request("original");
    await model.stream(req, {});
    (req.messages[0] as { content: string }).content = "mutated";
    req.system![0]!.text = "mutated";
    expect(model.calls[0]!.request.messages[0]?.content).toBe("original");
    expect(model.calls[0]!.request.system?.[0]?.text).toBe("Be brief.");
  });

  it("rejects an unscripted call with an error naming its index", async () => {
    const model = new ScriptedModelClient([textTurn("only one")]);
    await model.stream(request("a"), {});
    const error = await failure(model.stream(request("b"), {}));
    expect(error).not.toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/no turn scripted for model call #1\b.*1 turn was scripted/);
    expect(model.calls).toHaveLength(2);
  });

  it("takes turns from a responder, given the request and the call index", async () => {
    const seen: number[] = [];
    const model = new ScriptedModelClient((req, callIndex) => {
      seen.push(callIndex);
      return textTurn(`#${callIndex}: ${String(req.messages[0]?.content)}`);
    });
    expect((await model.stream(request("x"), {})).content).toEqual([{ type: "text", text: "#0: x" }]);
    expect((await model.stream(request("y"), {})).content).toEqual([{ type: "text", text: "#1: y" }]);
    expect(seen).toEqual([0, 1]);
  });

  it("uses enqueued turns before the responder", async () => {
    const model = new ScriptedModelClient(() => textTurn("from responder"));
    model.enqueue(textTurn("queued"));
    expect(model.pendingTurns()).toBe(1);
    expect((await model.stream(request("a"), {})).content[0]).toEqual({ type: "text", text: "queued" });
    expect((await model.stream(request("b"), {})).content[0]).toEqual({ type: "text", text: "from responder" });
    expect(model.pendingTurns()).toBe(0);
  });

  it("streams every block: block_start, then text in a few chunks that concatenate to it", async () => {
    const text = "The quick brown fox jumps over the lazy dog.";
    const model = new ScriptedModelClient([
      {
        content: [
          { type: "thinking", thinking: "Let me think about foxes." },
          { type: "text", text },
          { type: "tool_use", id: "toolu_a", name: "bash", input: { command: "ls" } },
        ],
      },
    ]);
    const deltas: TModelDelta[] = [];
    const response = await model.stream(request("a"), { onDelta: (delta) => deltas.push(delta) });
    expect(deltas.filter((d) => d.type === "block_start")).toEqual([
      { type: "block_start", index: 0, blockType: "thinking" },
      { type: "block_start", index: 1, blockType: "text" },
      { type: "block_start", index: 2, blockType: "tool_use" },
    ]);
    const textPieces = deltas.filter((d) => d.type === "text");
    expect(textPieces.length).toBeGreaterThan(1);
    expect(textPieces.every((d) => d.index === 1)).toBe(true);
    expect(textPieces.map((d) => d.text).join("")).toBe(text);
    const thinking = deltas.filter((d) => d.type === "thinking").map((d) => d.text);
    expect(thinking.join("")).toBe("Let me think about foxes.");
    expect(deltas.map((d) => `${d.type}:${d.index}`).indexOf("block_start:1")).toBeGreaterThan(
      deltas.map((d) => `${d.type}:${d.index}`).lastIndexOf("thinking:0"),
    );
    expect(response.stopReason).toBe("tool_use");
  });

  it("fills usage it is not given by estimate, and keeps what it is given", async () => {
    const model = new ScriptedModelClient([
      { content: [{ type: "text", text: "x".repeat(40) }] },
      { content: [{ type: "text", text: "y" }], usage: { input_tokens: 500, cache_read_input_tokens: 400 }, stopReason: "max_tokens" },
    ]);
    const estimated = await model.stream(request("a"), {});
    expect(estimated.usage.output_tokens).toBe(10);
    expect(estimated.usage.input_tokens).toBeGreaterThan(0);
    expect(estimated.usage.cache_creation_input_tokens).toBe(0);
    const given = await model.stream(request("b"), {});
    expect(given.usage).toEqual({
      input_tokens: 500,
      output_tokens: 1,
      cache_read_input_tokens: 400,
      cache_creation_input_tokens: 0,
    });
    expect(given.stopReason).toBe("max_tokens");
  });

  it("rejects with the scripted ModelError", async () => {
    const overloaded = new ModelError("model_overloaded_error", "Overloaded", true, 529);
    const model = new ScriptedModelClient([{ error: overloaded }, textTurn("after")]);
    expect(await failure(model.stream(request("a"), {}))).toBe(overloaded);
    expect((await model.stream(request("a"), {})).content).toEqual([{ type: "text", text: "after" }]);
  });

  it("hangs on a hang turn until the signal aborts, then rejects with an AbortError", async () => {
    const model = new ScriptedModelClient([{ hang: true }]);
    const controller = new AbortController();
    let settled = false;
    const pending = failure(model.stream(request("a"), { signal: controller.signal })).finally(() => (settled = true));
    await observeFor(50, "the hang turn settling");
    expect(settled).toBe(false);
    controller.abort();
    const error = await pending;
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).name).toBe("AbortError");
  });

  it("stops streaming when the signal aborts mid-answer", async () => {
    const model = new ScriptedModelClient([{ content: [{ type: "text", text: "a fairly long answer" }], chunkDelayMs: 5 }]);
    const controller = new AbortController();
    const deltas: TModelDelta[] = [];
    const error = await failure(
      model.stream(request("a"), {
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta);
          if (delta.type === "text") controller.abort();
        },
      }),
    );
    expect(isAbortError(error)).toBe(true);
    expect(deltas.filter((d) => d.type === "text")).toHaveLength(1);
  });

  it("rejects at once when the signal is already aborted, and still records the call", async () => {
    const model = new ScriptedModelClient([textTurn("unused")]);
    const controller = new AbortController();
    controller.abort();
    expect(isAbortError(await failure(model.stream(request("a"), { signal: controller.signal })))).toBe(true);
    expect(model.calls).toHaveLength(1);
  });

  it("honours the first-token delay of a turn", async () => {
    const model = new ScriptedModelClient([{ ...textTurn("late"), firstTokenDelayMs: 60 }]);
    const startedAt = Date.now();
    let firstAt = 0;
    await model.stream(request("a"), { onDelta: () => (firstAt ||= Date.now()) });
    expect(firstAt - startedAt).toBeGreaterThanOrEqual(50);
  });

  it("builds tool-use turns, with an optional id and leading text", () => {
    expect(toolUseTurn("bash", { command: "ls" }, { id: "toolu_1", text: "Listing." })).toEqual({
      content: [
        { type: "text", text: "Listing." },
        { type: "tool_use", id: "toolu_1", name: "bash", input: { command: "ls" } },
      ],
    });
    const [a] = toolUseTurn("read", { file_path: "a" }).content;
    const [b] = toolUseTurn("read", { file_path: "b" }).content;
    expect(a).toMatchObject({ type: "tool_use", name: "read", id: expect.stringMatching(/^toolu_/) });
    expect(b).toMatchObject({ type: "tool_use", id: expect.stringMatching(/^toolu_/) });
    expect((a as { id: string }).id).not.toBe((b as { id: string }).id);
  });
});
