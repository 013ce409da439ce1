import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { NOT_RUN_IN_FORK } from "@/lib/sessions/fork-log";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";

/**
 * `POST /v1/sessions/{id}/fork` (our extension) against the real server, whose harness calls the
 * scripted Messages API; sessions and events are read back through the official SDK. A fork copies
 * the log up to the event, is idle and answers its next message from the copied conversation; the
 * original is untouched; bad input is refused with nothing written.
 */
const available = await requirePostgres("the session fork suite");

type TEvent = { type: string; id: string; [key: string]: unknown };
type TForkAnswer = { status: number; body: Record<string, unknown> & { id: string; error?: { type: string; message: string } } };

describe.runIf(available)("forking a session through the API", () => {
  let api: MessagesApiServer;
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let strangerKey: string;
  let environmentId: string;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 1 });
    app = await startAppServer({ database: "postgres", env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "other-team", name: "Other team" });
    strangerKey = (await createApiKey(db.prisma, { teamId: team.id, name: "stranger" })).key;
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    environmentId = (await client.beta.environments.create({ name: "fork env" })).id;
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
    await api?.close();
  });

  async function fork(sessionId: string, body: unknown, key = app.apiKey): Promise<TForkAnswer> {
    const response = await fetch(`${app.url}/v1/sessions/${encodeURIComponent(sessionId)}/fork`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as TForkAnswer["body"] };
  }

  async function listAll(sessionId: string): Promise<TEvent[]> {
    const all: TEvent[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId)) all.push(event as unknown as TEvent);
    return all;
  }

  async function untilIdle(sessionId: string, stopReason = "end_turn"): Promise<TEvent[]> {
    let events: TEvent[] = [];
    await until(`session ${sessionId} idle (${stopReason})`, async () => {
      events = await listAll(sessionId);
      const last = events.at(-1);
      return last?.type === "session.status_idle" && (last.stop_reason as { type: string }).type === stopReason;
    });
    return events;
  }

  const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });
  /** Every field of an event but its id, with references to events mapped through `ids`. */
  const content = (event: TEvent, ids: Map<string, string>) => {
    const { id: _id, processed_at: _at, ...rest } = event;
    const json = JSON.stringify(rest).replace(/sevt_[0-9A-Za-z]+/g, (id) => ids.get(id) ?? id);
    return JSON.parse(json) as Record<string, unknown>;
  };

  async function sessionCount(): Promise<number> {
    let n = 0;
    for await (const _ of client.beta.sessions.list({ limit: 100 })) n++;
    return n;
  }

  it("forks at a message between turns: the copies keep the content under new ids, and the fork answers from them", async () => {
    const agent = await client.beta.agents.create({ name: "fork agent", model: "claude-fork-test", system: "Be brief.", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const original = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, title: "to fork", metadata: { project: "forks" } });
    api.enqueue({ content: [{ type: "text", text: "First answer." }] }, { content: [{ type: "text", text: "Second answer." }] });
    await client.beta.sessions.events.send(original.id, say("first question"));
    await untilIdle(original.id);
    await client.beta.sessions.events.send(original.id, say("second question"));
    const before = await untilIdle(original.id);
    const originalBefore = await client.beta.sessions.retrieve(original.id);
    const firstAnswer = before.find((e) => e.type === "agent.message")!;
    const cutIndex = before.findIndex((e) => e.id === firstAnswer.id) + 2; // the answer, its request end, the idle
    const cut = before[cutIndex]!;
    expect(cut.type).toBe("session.status_idle");

    const answer = await fork(original.id, { event_id: cut.id });
    expect(answer.status).toBe(200);
    const forked = answer.body;
    expect(forked).toMatchObject({
      type: "session",
      status: "idle",
      title: "to fork",
      metadata: { project: "forks" },
      environment_id: environmentId,
      vault_ids: [],
      agent: { id: agent.id, version: 1 },
      forked_from: { session_id: original.id, event_id: cut.id },
    });
    expect(forked.id).not.toBe(original.id);
    // the SDK reads the fork like any session, and says where it came from
    const retrieved = await client.beta.sessions.retrieve(forked.id);
    expect(retrieved).toMatchObject({ id: forked.id, status: "idle", forked_from: { session_id: original.id, event_id: cut.id } });
    // its usage is the fold of its log: the first turn's, not the second's
    expect(retrieved.usage.output_tokens).toBeGreaterThan(0);
    expect(retrieved.usage.output_tokens).toBeLessThan(originalBefore.usage.output_tokens!);

    // the log: the original's events up to the cut, in order, with new ids and the same content
    const copied = await listAll(forked.id);
    const expected = before.slice(0, cutIndex + 1);
    expect(copied.map((e) => e.type)).toEqual(expected.map((e) => e.type));
    const ids = new Map(expected.map((e, i) => [e.id, copied[i]!.id]));
    for (const [i, event] of copied.entries()) {
      expect(expected.map((e) => e.id)).not.toContain(event.id);
      expect(content(event, new Map())).toEqual(content(expected[i]!, ids));
    }

    // the original is untouched
    expect(await listAll(original.id)).toEqual(before);
    // (stats are measured at each read: a session's duration grows by itself)
    const { stats: _now, ...originalNow } = await client.beta.sessions.retrieve(original.id);
    const { stats: _then, ...originalThen } = originalBefore;
    expect(originalNow).toEqual(originalThen);
    expect((await client.beta.sessions.retrieve(original.id)) as unknown as Record<string, unknown>).not.toHaveProperty("forked_from");

    // a new message: the model sees the copied conversation, not what came after the cut
    api.enqueue({ content: [{ type: "text", text: "A different second answer." }] });
    const requestsBefore = api.requests.length;
    await client.beta.sessions.events.send(forked.id, say("another question"));
    const after = await untilIdle(forked.id);
    expect(after.filter((e) => e.type === "agent.message").map((e) => (e.content as Array<{ text: string }>)[0]!.text)).toEqual(["First answer.", "A different second answer."]);
    const request = api.requests.slice(requestsBefore).at(-1)!.body!;
    const conversation = JSON.stringify(request.messages);
    expect(conversation).toContain("first question");
    expect(conversation).toContain("First answer.");
    expect(conversation).toContain("another question");
    expect(conversation).not.toContain("second question");
    expect(request.model).toBe("claude-fork-test");
    expect(await listAll(original.id)).toEqual(before);
  });

  it("forks mid-turn (a tool use with no result, and a running model request): the fork is idle, every call answered", async () => {
    const agent = await client.beta.agents.create({
      name: "asking agent",
      model: "claude-fork-test",
      tools: [{ type: "agent_toolset_20260401", default_config: { permission_policy: { type: "always_ask" } } }],
    } as never);
    const original = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue({ content: [{ type: "text", text: "Let me check." }, { type: "tool_use", name: "bash", input: { command: "echo never-run" } }] });
    await client.beta.sessions.events.send(original.id, say("run it"));
    const waiting = await untilIdle(original.id, "requires_action");
    const use = waiting.find((e) => e.type === "agent.tool_use")!;

    // cut at the tool use: inside the model's response, before its end and before the idle
    const atUse = await fork(original.id, { event_id: use.id });
    expect(atUse.status).toBe(200);
    expect(atUse.body).toMatchObject({ status: "idle" });
    const forkEvents = await listAll(atUse.body.id);
    const copiedUse = forkEvents.find((e) => e.type === "agent.tool_use")!;
    expect(copiedUse).toMatchObject({ name: "bash", input: { command: "echo never-run" } });
    expect(copiedUse.id).not.toBe(use.id);
    expect(forkEvents.slice(-3)).toMatchObject([
      { type: "span.model_request_end", is_error: true },
      { type: "agent.tool_result", tool_use_id: copiedUse.id, is_error: true, content: [{ type: "text", text: NOT_RUN_IN_FORK }] },
      { type: "session.status_idle", stop_reason: { type: "end_turn" } },
    ]);
    // the next message makes a request in which the copied tool use has its result
    api.enqueue({ content: [{ type: "text", text: "Understood, it did not run." }] });
    const requestsBefore = api.requests.length;
    await client.beta.sessions.events.send(atUse.body.id, say("what happened?"));
    await untilIdle(atUse.body.id);
    const blocks = api.requests
      .slice(requestsBefore)
      .at(-1)!
      .body!.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(blocks.filter((b) => b.type === "tool_use").map((b) => (b as { id: string }).id)).toEqual([copiedUse.id]);
    expect(blocks.filter((b) => b.type === "tool_result").map((b) => (b as { tool_use_id: string }).tool_use_id)).toEqual([copiedUse.id]);

    // the original still waits for its confirmation, as it did
    expect(await listAll(original.id)).toEqual(waiting);
    expect(await client.beta.sessions.retrieve(original.id)).toMatchObject({ status: "idle" });

    // while running: the model request hangs; a fork cut at its start is idle, the request closed
    const running = await client.beta.sessions.create({ agent: (await client.beta.agents.create({ name: "slow", model: "claude-fork-test" } as never)).id, environment_id: environmentId });
    api.enqueue({ hang: true });
    const hangBefore = api.requests.length;
    await client.beta.sessions.events.send(running.id, say("think forever"));
    // the request leaves while its start is appended (call-model.ts): wait for both
    let start: { id: string } | undefined;
    await until("the hanging model request and its start in the log", async () => {
      start = (await listAll(running.id)).find((e) => e.type === "span.model_request_start");
      return api.requests.length > hangBefore && start !== undefined;
    }, { intervalMs: 10 });
    expect((await client.beta.sessions.retrieve(running.id)).status).toBe("running");
    const atStart = await fork(running.id, { event_id: start!.id });
    expect(atStart.status).toBe(200);
    expect(atStart.body).toMatchObject({ status: "idle" });
    expect((await listAll(atStart.body.id)).map((e) => e.type)).toEqual([
      "user.message",
      "session.status_running",
      "span.model_request_start",
      "span.model_request_end",
      "session.status_idle",
    ]);
    expect((await client.beta.sessions.retrieve(running.id)).status).toBe("running");
    await client.beta.sessions.events.send(running.id, { events: [{ type: "user.interrupt" }] });
    await untilIdle(running.id);
  });

  it("refuses bad input with nothing written: unknown or foreign session 404, missing, unknown or foreign event_id 400", async () => {
    const agent = await client.beta.agents.create({ name: "plain", model: "claude-fork-test" } as never);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    const other = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    await client.beta.sessions.update(session.id, { title: "has an event" });
    await client.beta.sessions.update(other.id, { title: "has one too" });
    const [event] = await listAll(session.id);
    const [foreignEvent] = await listAll(other.id);
    const count = await sessionCount();

    const notFound = [
      await fork("sesn_01HZZZZZZZZZZZZZZZZZZZZZZZ", { event_id: event!.id }),
      await fork("not-a-session", { event_id: event!.id }),
      await fork(session.id, { event_id: event!.id }, strangerKey),
    ];
    for (const answer of notFound) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    }
    const bad = [
      await fork(session.id, {}),
      await fork(session.id, { event_id: "" }),
      await fork(session.id, { event_id: 42 }),
      await fork(session.id, { event_id: "sevt_01HZZZZZZZZZZZZZZZZZZZZZZZ" }),
      await fork(session.id, { event_id: "not-an-event" }),
      await fork(session.id, { event_id: foreignEvent!.id }),
    ];
    for (const answer of bad) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
      expect(answer.body.error!.message).toMatch(/^event_id: /);
    }
    const extra = await fork(session.id, { event_id: event!.id, title: "x" });
    expect(extra.status).toBe(400);
    expect((await fork(session.id, "{not json")).status).toBe(400);
    expect(await sessionCount()).toBe(count);
  });
});
