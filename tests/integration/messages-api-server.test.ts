import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  echoResponder,
  startMessagesApiServer,
  type MessagesApiServer,
  type MessagesApiServerOptions,
} from "@/tests/fixtures/messages-api";
import { observeFor, until } from "@/tests/fixtures/wait";

const MODEL = "claude-sonnet-5-5";
const USER = [{ role: "user" as const, content: "Hello there" }];

let server: MessagesApiServer;
const extraServers: MessagesApiServer[] = [];

function clientFor(target: MessagesApiServer, options: { maxRetries?: number; apiKey?: string } = {}): Anthropic {
  const { apiKey = "test-key", maxRetries = 0 } = options;
  return new Anthropic({ apiKey, baseURL: target.url, maxRetries });
}

async function extraServer(options: MessagesApiServerOptions): Promise<MessagesApiServer> {
  const started = await startMessagesApiServer(options);
  extraServers.push(started);
  return started;
}

/** Resolves with the error the call failed with; fails the test when the call succeeds. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(() => Promise.reject(new Error("expected the call to fail")), (error: unknown) => error);

beforeEach(async () => {
  server = await startMessagesApiServer({ chunkSize: 4, jsonChunkSize: 5 });
});

afterEach(async () => {
  await server.close();
  await Promise.all(extraServers.splice(0).map((s) => s.close()));
});

describe("streaming through the real SDK", () => {
  it("streams text in several deltas and finalMessage() equals the scripted content", async () => {
    const text = "The weather in Paris is mild today.";
    server.enqueue({
      content: [
        { type: "thinking", thinking: "The user wants the weather; check it first." },
        { type: "text", text },
        { type: "tool_use", id: "toolu_fixed", name: "get_weather", input: { city: "Paris", days: [1, 2] } },
      ],
      usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100 },
    });
    const stream = clientFor(server).messages.stream({ model: MODEL, max_tokens: 1024, messages: USER });
    const textDeltas: string[] = [];
    const thinkingDeltas: string[] = [];
    const jsonPieces: string[] = [];
    stream.on("text", (delta) => textDeltas.push(delta));
    stream.on("thinking", (delta) => thinkingDeltas.push(delta));
    stream.on("inputJson", (piece) => jsonPieces.push(piece));
    const message = await stream.finalMessage();

    expect(textDeltas.length).toBeGreaterThan(3);
    expect(textDeltas.join("")).toBe(text);
    expect(thinkingDeltas.length).toBeGreaterThan(3);
    expect(jsonPieces.length).toBeGreaterThan(3);
    expect(message.content).toEqual([
      {
        type: "thinking",
        thinking: "The user wants the weather; check it first.",
        signature: expect.stringMatching(/.{16,}/),
      },
      { type: "text", text, citations: null },
      {
        type: "tool_use",
        id: "toolu_fixed",
        name: "get_weather",
        input: { city: "Paris", days: [1, 2] },
        caller: { type: "direct" },
      },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.model).toBe(MODEL);
    expect(message.id).toMatch(/^msg_01/);
    expect(message.usage).toMatchObject({ input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100 });
  });

  it("sends the API's event sequence on the wire, ping included", async () => {
    server.enqueue({ content: [{ type: "text", text: "Hi!" }] });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: USER }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = [...(await response.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("honours firstTokenDelayMs after an immediate message_start", async () => {
    const delayed = await extraServer({ firstTokenDelayMs: 600 });
    delayed.enqueue({ content: [{ type: "text", text: "late" }] });
    const startedAt = Date.now();
    let messageStartAt = 0;
    let firstTextAt = 0;
    const stream = clientFor(delayed).messages.stream({ model: MODEL, max_tokens: 10, messages: USER });
    stream.on("streamEvent", (event) => {
      if (event.type === "message_start") messageStartAt = Date.now();
    });
    stream.on("text", () => {
      if (!firstTextAt) firstTextAt = Date.now();
    });
    await stream.finalMessage();
    expect(messageStartAt).toBeGreaterThan(0);
    expect(firstTextAt - startedAt).toBeGreaterThanOrEqual(550);
    // message_start comes right after the headers, before the delay.
    expect(firstTextAt - messageStartAt).toBeGreaterThanOrEqual(300);
  });

  it("reports an error sent mid-stream as a typed API error", async () => {
    server.enqueue({ error: { status: 529, type: "overloaded_error", message: "Overloaded" }, midStream: true });
    const stream = clientFor(server).messages.stream({ model: MODEL, max_tokens: 10, messages: USER });
    const error = await rejection(stream.finalMessage());
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as APIError).type).toBe("overloaded_error");
  });
});

describe("non-streaming and count_tokens", () => {
  it("returns the JSON Message with estimated usage", async () => {
    server.enqueue({ content: [{ type: "text", text: "Plain answer." }] });
    const message = await clientFor(server).messages.create({ model: MODEL, max_tokens: 50, messages: USER });
    expect(message.content).toEqual([{ type: "text", text: "Plain answer.", citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message._request_id).toMatch(/^req_01/);
  });

  it("counts tokens without consuming a turn", async () => {
    const counted = await clientFor(server).messages.countTokens({ model: MODEL, messages: USER });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/messages/count_tokens"]);
  });
});

describe("errors", () => {
  it("answers an error turn with the envelope and status the SDK types", async () => {
    server.enqueue({ error: { status: 529, type: "overloaded_error", message: "Overloaded" } });
    const error = await rejection(clientFor(server).messages.create({ model: MODEL, max_tokens: 5, messages: USER }));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(529);
    expect(apiError.type).toBe("overloaded_error");
    expect(apiError.requestID).toMatch(/^req_01/);
  });

  it("lets the SDK retry a 429 carrying retry headers, then succeed", async () => {
    server.enqueue(
      { error: { status: 429, type: "rate_limit_error", message: "slow down" }, headers: { "retry-after-ms": "20" } },
      { content: [{ type: "text", text: "after retry" }] },
    );
    const message = await clientFor(server, { maxRetries: 2 }).messages.create({
      model: MODEL,
      max_tokens: 5,
      messages: USER,
    });
    expect(message.content).toEqual([{ type: "text", text: "after retry", citations: null }]);
    expect(server.requests).toHaveLength(2);
    expect(server.pendingTurns()).toBe(0);
  });

  it("rejects malformed requests with 400 invalid_request_error", async () => {
    const client = clientFor(server);
    const badRoles = await rejection(
      client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: "assistant", content: "hi" }] }),
    );
    expect(badRoles).toBeInstanceOf(Anthropic.BadRequestError);
    expect((badRoles as APIError).type).toBe("invalid_request_error");

    const raw = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({ model: MODEL, messages: USER }),
    });
    expect(raw.status).toBe(400);
    const envelope = (await raw.json()) as { type: string; error: { type: string; message: string } };
    expect(envelope).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(envelope.error.message).toMatch(/max_tokens/);
    expect(server.pendingTurns()).toBe(0);
  });

  it("requires credentials, and the configured key when one is set", async () => {
    const raw = await fetch(`${server.url}/v1/messages`, { method: "POST", body: "{}" });
    expect(raw.status).toBe(401);
    const keyed = await extraServer({ apiKey: "right-key", turns: [{ content: [{ type: "text", text: "ok" }] }] });
    const error = await rejection(
      clientFor(keyed, { apiKey: "wrong-key" }).messages.create({ model: MODEL, max_tokens: 5, messages: USER }),
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    const ok = await clientFor(keyed, { apiKey: "right-key" }).messages.create({
      model: MODEL,
      max_tokens: 5,
      messages: USER,
    });
    expect(ok.content[0]).toMatchObject({ type: "text", text: "ok" });
  });

  it("answers a non-retryable 500 when no turn is left", async () => {
    const error = await rejection(
      clientFor(server, { maxRetries: 2 }).messages.create({ model: MODEL, max_tokens: 5, messages: USER }),
    );
    expect((error as APIError).status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe("recording, responders, hangs and shutdown", () => {
  it("records the system prompt, messages, model and credentials that were sent", async () => {
    server.enqueue({ content: [{ type: "text", text: "noted" }] });
    const system = [{ type: "text" as const, text: "You are terse.", cache_control: { type: "ephemeral" as const } }];
    await clientFor(server).messages.create({ model: MODEL, max_tokens: 5, system, messages: USER });
    const [recorded] = server.requests;
    expect(recorded?.method).toBe("POST");
    expect(recorded?.path).toBe("/v1/messages");
    expect(recorded?.body?.system).toEqual(system);
    expect(recorded?.body?.messages).toEqual(USER);
    expect(recorded?.body?.model).toBe(MODEL);
    expect(recorded?.rawBody).toContain("You are terse.");
    expect(recorded?.headers["authorization"] ?? recorded?.headers["x-api-key"]).toContain("test-key");
    expect(recorded?.headers["anthropic-version"]).toBeTruthy();
  });

  it("drives a tool round trip with the echo responder", async () => {
    const echo = await extraServer({ respond: echoResponder });
    const client = clientFor(echo);
    const ask = { role: "user" as const, content: "use a tool please" };
    const first = await client.messages.stream({ model: MODEL, max_tokens: 100, messages: [ask] }).finalMessage();
    const toolUse = first.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({ name: "bash", input: { command: "echo hello" } });
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [
        ask,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse?.id ?? "", content: "hello\n" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "The command printed: hello", citations: null }]);
    const hi = [{ role: "user" as const, content: "hi" }];
    const plain = await client.messages.create({ model: MODEL, max_tokens: 5, messages: hi });
    expect(plain.content[0]).toMatchObject({ text: "You said: hi" });
  });

  it("keeps a hang turn open until the client aborts, and records that it left", async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = clientFor(server).messages.create(
      { model: MODEL, max_tokens: 5, messages: USER },
      { signal: controller.signal },
    );
    await until("the request to reach the server", () => server.requests.length === 1);
    await observeFor(100, "an answer to the hang turn"); // it stays open until the client leaves
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(Anthropic.APIUserAbortError);
    await until("the server to record that the client left", () => server.requests[0]?.clientClosed === true);
    expect(server.requests[0]?.status).toBeUndefined();
  });

  it("close() ends open streams and hanging requests", async () => {
    server.enqueue({ content: [{ type: "text", text: "partial answer" }], hangAfterContent: true }, { hang: true });
    const client = clientFor(server);
    const stream = client.messages.stream({ model: MODEL, max_tokens: 5, messages: USER });
    let streamed = "";
    stream.on("text", (delta) => (streamed += delta));
    const streamDone = rejection(stream.finalMessage());
    const hanging = rejection(client.messages.create({ model: MODEL, max_tokens: 5, messages: USER }));
    await until("the partial answer and the hanging request", () => streamed === "partial answer" && server.requests.length === 2);
    await server.close();
    // The stream was cut before message_stop: the SDK reports the broken connection.
    expect(await streamDone).toBeInstanceOf(Anthropic.AnthropicError);
    expect(await hanging).toBeInstanceOf(Anthropic.APIConnectionError);
  });
});
