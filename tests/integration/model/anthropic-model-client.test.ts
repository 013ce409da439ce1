import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { isAbortError, ModelError, type TModelDelta, type TModelRequest } from "@/lib/model/types";
import { sseFrame, startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { until } from "@/tests/fixtures/wait";

const API_KEY = "sk-ant-api03-integration-secret-4f9c2b7e";
const MODEL = "claude-custom-model-2099-01-01";
const REQUEST: TModelRequest = {
  model: MODEL,
  maxTokens: 1024,
  messages: [{ role: "user", content: "What is the weather in Paris?" }],
};

let server: MessagesApiServer;
const extraServers: Array<{ close(): Promise<void> | void }> = [];
/** Every error a call in this file failed with: none may contain the API key. */
const errorsSeen: unknown[] = [];

function clientFor(url: string, options: { timeoutMs?: number; maxRetries?: number } = {}): AnthropicModelClient {
  return new AnthropicModelClient({ apiKey: API_KEY, baseURL: url, ...options });
}

/** Resolves with the error the call failed with; fails the test when the call succeeds. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => Promise.reject(new Error("expected the call to fail")),
    (error: unknown) => error,
  );
  errorsSeen.push(error);
  return error;
}

async function modelError(promise: Promise<unknown>): Promise<ModelError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

/** A bare HTTP server answering every request with `handle`; returns its base URL. */
async function rawServer(handle: (res: ServerResponse) => void): Promise<string> {
  const raw: Server = createServer((_req, res) => handle(res));
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  extraServers.push({
    close: () => {
      raw.closeAllConnections();
      return new Promise<void>((resolve) => raw.close(() => resolve()));
    },
  });
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  server = await startMessagesApiServer({ chunkSize: 4, jsonChunkSize: 5 });
});

afterEach(async () => {
  await server.close();
  await Promise.all(extraServers.splice(0).map((extra) => extra.close()));
});

afterAll(() => {
  expect(errorsSeen.length).toBeGreaterThan(10);
  for (const error of errorsSeen) {
    expect(String((error as Error).message)).not.toContain(API_KEY);
    expect(String(error)).not.toContain(API_KEY);
  }
});

describe("streaming a response", () => {
  it("forwards thinking and text deltas in order, then returns the final content and usage", async () => {
    const text = "Paris is mild today, around 18 degrees with a light breeze.";
    const thinking = "The user asks about the weather; I should check.";
    server.enqueue({
      content: [
        { type: "thinking", thinking },
        { type: "text", text },
        { type: "tool_use", id: "toolu_fixed_1", name: "get_weather", input: { city: "Paris", days: [1, 2] } },
      ],
      usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100, cache_creation_input_tokens: 30 },
      interChunkDelayMs: 15,
    });
    const deltas: Array<TModelDelta & { at: number }> = [];
    const response = await clientFor(server.url).stream(REQUEST, {
      onDelta: (delta) => deltas.push({ ...delta, at: Date.now() }),
    });
    const resolvedAt = Date.now();

    expect(deltas.filter((d) => d.type === "block_start").map((d) => [d.index, d.blockType])).toEqual([
      [0, "thinking"],
      [1, "text"],
      [2, "tool_use"],
    ]);
    const textDeltas = deltas.filter((d) => d.type === "text");
    const thinkingDeltas = deltas.filter((d) => d.type === "thinking");
    expect(textDeltas.length).toBeGreaterThan(5);
    expect(textDeltas.every((d) => d.index === 1)).toBe(true);
    expect(textDeltas.map((d) => d.text).join("")).toBe(text);
    expect(thinkingDeltas.every((d) => d.index === 0)).toBe(true);
    expect(thinkingDeltas.map((d) => d.text).join("")).toBe(thinking);
    // Each block starts before its own deltas, and the deltas come live, not all at the end.
    const kinds = deltas.map((d) => `${d.type}:${d.index}`);
    expect(kinds.indexOf("block_start:1")).toBeLessThan(kinds.indexOf("text:1"));
    expect(kinds.lastIndexOf("thinking:0")).toBeLessThan(kinds.indexOf("block_start:1"));
    expect(resolvedAt - deltas[0]!.at).toBeGreaterThanOrEqual(150);

    expect(response).toEqual({
      model: MODEL,
      content: [
        { type: "thinking", thinking },
        { type: "text", text },
        { type: "tool_use", id: "toolu_fixed_1", name: "get_weather", input: { city: "Paris", days: [1, 2] } },
      ],
      stopReason: "tool_use",
      usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100, cache_creation_input_tokens: 30 },
    });
  });

  it("reports end_turn and zero cache counters for a plain answer", async () => {
    server.enqueue({ content: [{ type: "text", text: "Hello!" }], usage: { input_tokens: 7, output_tokens: 2 } });
    const response = await clientFor(server.url).stream(REQUEST, {});
    expect(response).toEqual({
      model: MODEL,
      content: [{ type: "text", text: "Hello!" }],
      stopReason: "end_turn",
      usage: { input_tokens: 7, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  });

  it("sends the model name untouched, system blocks with cache_control, tools and max_tokens", async () => {
    server.enqueue({ content: [{ type: "text", text: "ok" }] });
    const request: TModelRequest = {
      model: MODEL,
      maxTokens: 777,
      system: [
        { type: "text", text: "You are a careful agent." },
        { type: "text", text: "Workspace: /workspace", cache_control: { type: "ephemeral" } },
      ],
      messages: [
        { role: "user", content: "list files" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "bash", input: { command: "ls" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "a.txt" }] },
      ],
      tools: [
        {
          name: "bash",
          description: "Run a command",
          input_schema: { type: "object", properties: { command: { type: "string" } } },
          cache_control: { type: "ephemeral" },
        },
      ],
    };
    await clientFor(server.url).stream(request, {});
    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded?.path).toBe("/v1/messages");
    expect(recorded?.body).toMatchObject({ model: MODEL, max_tokens: 777, stream: true });
    expect(recorded?.body?.system).toEqual(request.system);
    expect(recorded?.body?.tools).toEqual(request.tools);
    expect(recorded?.body?.messages).toEqual(request.messages);
    expect(`${recorded?.headers["x-api-key"] ?? ""} ${recorded?.headers["authorization"] ?? ""}`).toContain(API_KEY);
  });

  it("leaves system and tools out of the request when there are none", async () => {
    server.enqueue({ content: [{ type: "text", text: "ok" }] });
    await clientFor(server.url).stream({ ...REQUEST, system: [], tools: [] }, {});
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ model: MODEL });
    expect(body).not.toHaveProperty("system");
    expect(body).not.toHaveProperty("tools");
  });

  it("uses the fetch it is given and retries inside the SDK only when asked to", async () => {
    server.enqueue(
      { error: { status: 529, type: "overloaded_error", message: "Overloaded" }, headers: { "retry-after-ms": "10" } },
      { content: [{ type: "text", text: "second try" }] },
    );
    let fetches = 0;
    const client = new AnthropicModelClient({
      apiKey: API_KEY,
      baseURL: server.url,
      maxRetries: 1,
      fetch: (input, init) => {
        fetches += 1;
        return fetch(input, init);
      },
    });
    const response = await client.stream(REQUEST, {});
    expect(response.content).toEqual([{ type: "text", text: "second try" }]);
    expect(fetches).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("describes itself by its base URL, without credentials", () => {
    expect(clientFor(server.url).description).toBe(`Anthropic API at ${server.url}`);
    const withUser = clientFor(`http://proxy-user:proxy-pass@127.0.0.1:${server.port}/anthropic/?key=abc`);
    expect(withUser.description).toBe(`Anthropic API at http://127.0.0.1:${server.port}/anthropic`);
    expect(new AnthropicModelClient({ apiKey: API_KEY }).description).toBe("Anthropic API at https://api.anthropic.com");
  });
});

describe("errors", () => {
  it("maps 529 to a retryable model_overloaded_error, without retrying in the SDK", async () => {
    server.enqueue({ error: { status: 529, type: "overloaded_error", message: "Overloaded" } });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_overloaded_error", retryable: true, status: 529 });
    expect(server.requests).toHaveLength(1);
  });

  it("maps an overload reported inside the stream to model_overloaded_error", async () => {
    server.enqueue({ error: { status: 529, type: "overloaded_error", message: "Overloaded" }, midStream: true });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_overloaded_error", retryable: true });
  });

  it("maps 429 to model_rate_limited_error with the delay of retry-after", async () => {
    server.enqueue({
      error: { status: 429, type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" },
      headers: { "retry-after": "2" },
    });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_rate_limited_error", retryable: true, status: 429, retryAfterMs: 2000 });
    expect(server.requests).toHaveLength(1);
  });

  it("prefers retry-after-ms when the API sends it", async () => {
    server.enqueue({
      error: { status: 429, type: "rate_limit_error", message: "slow down" },
      headers: { "retry-after": "2", "retry-after-ms": "1500" },
    });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_rate_limited_error", retryAfterMs: 1500 });
  });

  it.each([
    [408, "timeout_error", true],
    [500, "api_error", true],
    [503, "api_error", true],
    [400, "invalid_request_error", false],
    [403, "permission_error", false],
    [404, "not_found_error", false],
  ])("maps %i %s to model_request_failed_error, retryable: %s", async (status, type, retryable) => {
    server.enqueue({ error: { status, type, message: `${type} happened` } });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable, status });
    expect(error.message).toContain(`${type} happened`);
  });

  it("never puts the API key in an error message, even when the server echoes it", async () => {
    server.enqueue({
      error: { status: 401, type: "authentication_error", message: `invalid x-api-key: ${API_KEY}` },
    });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: false, status: 401 });
    expect(error.message).toContain("invalid x-api-key: [redacted]");
    expect(error.message).not.toContain(API_KEY);
  });

  it("maps a dropped connection to a retryable model_request_failed_error", async () => {
    server.enqueue({ disconnect: true });
    const error = await modelError(clientFor(server.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(error.status).toBeUndefined();
  });

  it("maps a refused connection to a retryable model_request_failed_error", async () => {
    const gone = await startMessagesApiServer();
    await gone.close();
    const error = await modelError(clientFor(gone.url).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
  });

  it("maps a stream cut before message_stop to a retryable error", async () => {
    server.enqueue({ content: [{ type: "text", text: "partial answer" }], hangAfterContent: true });
    let streamed = "";
    const pending = modelError(
      clientFor(server.url).stream(REQUEST, {
        onDelta: (delta) => {
          if (delta.type === "text") streamed += delta.text;
        },
      }),
    );
    await until("the partial answer to be streamed", () => streamed === "partial answer");
    await server.close();
    expect(await pending).toMatchObject({ kind: "model_request_failed_error", retryable: true });
  });

  it("maps a stream that ends cleanly without message_stop to a retryable error", async () => {
    // A well-formed start of a response, then the end of the body.
    const url = await rawServer((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const message = {
        id: "msg_01",
        type: "message",
        role: "assistant",
        model: MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      };
      res.write(sseFrame("message_start", { type: "message_start", message }));
      res.write(
        sseFrame("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      );
      res.write(
        sseFrame("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hal" } }),
      );
      res.end();
    });
    const deltas: TModelDelta[] = [];
    const error = await modelError(clientFor(url).stream(REQUEST, { onDelta: (delta) => deltas.push(delta) }));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(deltas).toContainEqual({ type: "text", index: 0, text: "Hal" });
  });

  it("gives up on a server that never answers after timeoutMs, with a retryable error", async () => {
    server.enqueue({ hang: true });
    const startedAt = Date.now();
    const error = await modelError(clientFor(server.url, { timeoutMs: 300 }).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await until("the client to close its connection", () => server.requests[0]?.clientClosed === true);
  });

  it("gives up on a response that starts but never sends an event, after timeoutMs", async () => {
    let closed = false;
    const url = await rawServer((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      res.on("close", () => (closed = true));
    });
    const error = await modelError(clientFor(url, { timeoutMs: 300 }).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(error.message).toMatch(/sent nothing for 300 ms/);
    await until("the connection to close", () => closed);
  });

  it("gives up on a stream that stalls mid-answer after timeoutMs of silence", async () => {
    server.enqueue({ content: [{ type: "text", text: "I was saying" }], hangAfterContent: true });
    const startedAt = Date.now();
    const error = await modelError(clientFor(server.url, { timeoutMs: 400 }).stream(REQUEST, {}));
    expect(error).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(error.message).toMatch(/sent nothing for 400 ms/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await until("the client to close its connection", () => server.requests[0]?.clientClosed === true);
  });
});

describe("aborts", () => {
  it("rejects a hanging call with an AbortError soon after the signal aborts, and closes the connection", async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = rejection(clientFor(server.url).stream(REQUEST, { signal: controller.signal }));
    await until("the request to reach the server", () => server.requests.length === 1);
    const abortedAt = Date.now();
    controller.abort();
    const error = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).name).toBe("AbortError");
    expect(error).not.toBeInstanceOf(ModelError);
    await until("the client to close its connection", () => server.requests[0]?.clientClosed === true);
  });

  it("aborts mid-stream: no further deltas, AbortError, connection closed", async () => {
    server.enqueue({ content: [{ type: "text", text: "a long answer ".repeat(20) }], interChunkDelayMs: 20 });
    const controller = new AbortController();
    const deltas: TModelDelta[] = [];
    const pending = rejection(
      clientFor(server.url).stream(REQUEST, {
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta);
          if (delta.type === "text" && deltas.length === 3) controller.abort();
        },
      }),
    );
    const error = await pending;
    expect(isAbortError(error)).toBe(true);
    expect(deltas.length).toBeLessThan(6);
    await until("the client to close its connection", () => server.requests[0]?.clientClosed === true);
  });

  it("does not send a request when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(clientFor(server.url).stream(REQUEST, { signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it("rejects with the error of a failing onDelta, not a model error, and stops the stream", async () => {
    server.enqueue({ content: [{ type: "text", text: "a long answer ".repeat(20) }], interChunkDelayMs: 20 });
    const failure = new Error("viewer broke");
    const error = await rejection(
      clientFor(server.url).stream(REQUEST, {
        onDelta: (delta) => {
          if (delta.type === "text") throw failure;
        },
      }),
    );
    expect(error).toBe(failure);
    await until("the client to close its connection", () => server.requests[0]?.clientClosed === true);
  });
});
