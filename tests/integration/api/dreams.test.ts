import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { CLAIM_TTL_MS, runPendingDreams } from "@/lib/dreams/run-pending-dreams";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { newId } from "@/lib/ids";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { collect, failure, RFC3339 } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

/**
 * Dreams (SDK 1.17, research preview) through the official SDK against the real server on
 * PostgreSQL, its model the scripted Messages API and its hands the local sandbox: a dream over a
 * store of two memories and one past session runs as a session that reads the transcript, rewrites
 * the memories through the write tool and completes, its new output store holding the result and
 * the input store unchanged; list, filters and archive; an update_existing dream that holds its
 * store (409 for a second) until canceled and stopped; a dream whose model fails reports why; bad
 * input names the field and another team's ids are 404s; a start a dead worker left half done is
 * finished by the next claim, with the session id the first one chose.
 */
const available = await requirePostgres("the dreams suite");

type TDream = Anthropic.Beta.Dreams.BetaDream;
const errorBody = (error: InstanceType<typeof Anthropic.APIError>) => (error.error as { error?: Record<string, unknown> } | undefined)?.error;

describe.runIf(available)("dreams through the official SDK", () => {
  let api: MessagesApiServer;
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let pastSessionId: string;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 1 });
    app = await startAppServer({ database: "postgres", env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "dream-strangers", name: "Strangers" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });

    // one past session: the user tells the agent the deploy command changed
    const agent = await client.beta.agents.create({ name: "helper", model: "claude-dream-test" });
    const environment = await client.beta.environments.create({ name: "past sessions" });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    pastSessionId = session.id;
    api.enqueue({ content: [{ type: "text", text: "Noted: deploys now use npm run deploy." }] });
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "We switched deploys to npm run deploy." }] }] });
    await until("the past session to answer", async () => (await client.beta.sessions.retrieve(session.id)).status === "idle" && api.requests.length === 1, { timeoutMs: 60_000 });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    await app?.stop();
    await api?.close();
  });

  const newStore = async (name: string) => {
    const store = await client.beta.memoryStores.create({ name });
    await client.beta.memoryStores.memories.create(store.id, { path: "/deploy.md", content: "Deploy with make deploy.\n" });
    await client.beta.memoryStores.memories.create(store.id, { path: "/deploy-notes.md", content: "make deploy deploys.\n" });
    return store;
  };
  const inputsOf = (storeId: string) => [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: [pastSessionId] },
  ];
  const contentOf = async (storeId: string) =>
    Object.fromEntries(
      ((await collect(client.beta.memoryStores.memories.list(storeId, { view: "full" } as never))) as Array<{ path: string; content: string }>).map((m) => [m.path, m.content]),
    );
  const untilStatus = (dreamId: string, status: TDream["status"]) =>
    until(`dream ${dreamId} ${status}`, async () => {
      const dream = await client.beta.dreams.retrieve(dreamId);
      return dream.status === status ? dream : null;
    }, { timeoutMs: 90_000, intervalMs: 100 });

  it("runs a dream over a store and a past session into a new store, and lists and archives it", async () => {
    const store = await newStore("Team Notes");
    const mount = "/mnt/memory/team-notes-dreamed";
    api.enqueue(
      { content: [{ type: "tool_use", name: "write", input: { file_path: `${mount}/deploy.md`, content: "Deploy with npm run deploy (it replaced make deploy).\n" } }], usage: { input_tokens: 40, output_tokens: 7 } },
      { content: [{ type: "tool_use", name: "bash", input: { command: `rm ${mount}/deploy-notes.md` } }], usage: { input_tokens: 50, output_tokens: 5 } },
      { content: [{ type: "text", text: "Merged the deploy notes." }], usage: { input_tokens: 60, output_tokens: 6 } },
    );
    const requestsBefore = api.requests.length;
    const created = await client.beta.dreams.create({ inputs: inputsOf(store.id), model: "claude-dream-test", instructions: "Prefer one file per topic." });
    expect(created).toEqual({
      id: expect.stringMatching(/^drm_[0-9A-Z]{26}$/),
      type: "dream",
      status: "pending",
      inputs: inputsOf(store.id),
      instructions: "Prefer one file per topic.",
      model: { id: "claude-dream-test", speed: "standard" },
      output_behavior: { type: "create_new" },
      outputs: [],
      session_id: null,
      error: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      created_at: expect.stringMatching(RFC3339),
      ended_at: null,
      archived_at: null,
    });

    const done = await untilStatus(created.id, "completed");
    expect(done.session_id).toMatch(/^sesn_/);
    expect(done.ended_at).toMatch(RFC3339);
    expect(done.usage).toEqual({ input_tokens: 150, output_tokens: 18, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    const output = done.outputs[0]!.memory_store_id;
    expect(output).not.toBe(store.id);
    expect(await contentOf(output)).toEqual({ "/deploy.md": "Deploy with npm run deploy (it replaced make deploy).\n" });
    expect(await contentOf(store.id)).toEqual({ "/deploy.md": "Deploy with make deploy.\n", "/deploy-notes.md": "make deploy deploys.\n" });

    // the dream's model read the past session and was told where the store is and what to do
    const first = api.requests[requestsBefore]!.body!;
    expect(JSON.stringify(first.messages[0])).toContain("We switched deploys to npm run deploy.");
    expect(JSON.stringify(first.system)).toContain(`${mount} (read-write)`);
    expect(JSON.stringify(first.system)).toContain("Prefer one file per topic.");
    // its session is there to follow
    expect((await client.beta.sessions.retrieve(done.session_id!)).metadata).toEqual({ dream_id: created.id });

    // list: newest first, filtered by status; archive hides it from the default list
    const completedIds = (await collect(client.beta.dreams.list({ statuses: ["completed"] }))).map((d) => d.id);
    expect(completedIds).toContain(created.id);
    expect((await collect(client.beta.dreams.list({ statuses: ["failed"] }))).map((d) => d.id)).not.toContain(created.id);
    expect((await collect(client.beta.dreams.list({ "created_at[lt]": done.created_at }))).map((d) => d.id)).not.toContain(created.id);
    expect((await collect(client.beta.dreams.list({ "created_at[gt]": new Date(Date.parse(done.created_at) - 1).toISOString() }))).map((d) => d.id)).toContain(created.id);
    const archived = await client.beta.dreams.archive(created.id);
    expect(archived.archived_at).toMatch(RFC3339);
    expect(archived.status).toBe("completed");
    expect((await client.beta.dreams.archive(created.id)).archived_at).toBe(archived.archived_at);
    expect((await collect(client.beta.dreams.list())).map((d) => d.id)).not.toContain(created.id);
    expect((await collect(client.beta.dreams.list({ include_archived: true }))).map((d) => d.id)).toContain(created.id);
    expect((await client.beta.dreams.retrieve(created.id)).archived_at).toBe(archived.archived_at);
    // a completed dream cannot be canceled
    const refused = await failure(client.beta.dreams.cancel(created.id));
    expect([refused.status, errorBody(refused)?.type]).toEqual([400, "invalid_request_error"]);
  });

  it("holds an update_existing target (409) until the running dream is canceled and stopped", async () => {
    const store = await newStore("Held");
    api.enqueue({ hang: true });
    const running = await client.beta.dreams.create({ inputs: inputsOf(store.id), model: { id: "claude-dream-test" }, output_behavior: { type: "update_existing", memory_store_id: store.id } });
    await untilStatus(running.id, "running");
    expect((await client.beta.dreams.retrieve(running.id)).outputs).toEqual([{ type: "memory_store", memory_store_id: store.id }]);
    const refusedArchive = await failure(client.beta.dreams.archive(running.id));
    expect(refusedArchive.status).toBe(400);

    const held = await failure(client.beta.dreams.create({ inputs: inputsOf(store.id), model: "claude-dream-test", output_behavior: { type: "update_existing", memory_store_id: store.id } }));
    expect([held.status, errorBody(held)?.type, held.headers?.get("x-should-retry")]).toEqual([409, "conflict_error", "false"]);
    expect(String(errorBody(held)?.message)).toContain(running.id);

    const canceled = await client.beta.dreams.cancel(running.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.ended_at).toMatch(RFC3339);
    expect((await client.beta.dreams.cancel(running.id)).ended_at).toBe(canceled.ended_at);
    // the interrupt stops its session; then the store is free again
    await until("the canceled dream's session to stop", async () => (await client.beta.sessions.retrieve(canceled.session_id!)).status === "idle", { timeoutMs: 60_000 });
    expect((await client.beta.dreams.retrieve(running.id)).status).toBe("canceled");
    api.enqueue({ content: [{ type: "text", text: "Nothing to change." }] });
    const next = await client.beta.dreams.create({ inputs: inputsOf(store.id), model: "claude-dream-test", output_behavior: { type: "update_existing", memory_store_id: store.id } });
    await untilStatus(next.id, "completed");
    expect(await contentOf(store.id)).toEqual({ "/deploy.md": "Deploy with make deploy.\n", "/deploy-notes.md": "make deploy deploys.\n" });
  });

  it("fails with the model's error when the model refuses the request", async () => {
    const store = await newStore("Failing");
    api.enqueue({ error: { status: 400, type: "invalid_request_error", message: "prompt is too long" } });
    const created = await client.beta.dreams.create({ inputs: inputsOf(store.id), model: "claude-dream-test" });
    const failed = await untilStatus(created.id, "failed");
    expect(failed.error).toEqual({ type: "model_request_failed_error", message: expect.stringContaining("prompt is too long") });
    expect(failed.ended_at).toMatch(RFC3339);
    expect((await collect(client.beta.dreams.list({ statuses: ["failed"] }))).map((d) => d.id)).toContain(created.id);
  });

  it("finishes a start that a dead worker left half done, once, with the session id it chose", async () => {
    const store = await newStore("Recovered");
    const { teamId } = await db.prisma.memoryStore.findUniqueOrThrow({ where: { id: store.id }, select: { teamId: true } });
    // a worker claimed the dream (fixing its session's id) and died before making anything
    const claimedAt = new Date();
    const sessionId = newId("session");
    const dream = await db.prisma.dream.create({
      data: { id: newId("dream"), teamId, memoryStoreId: store.id, sessionIds: [pastSessionId], outputBehavior: "create_new", model: { id: "claude-dream-test", speed: "standard" }, claimedAt, sessionId },
    });
    expect((await client.beta.dreams.retrieve(dream.id)).status).toBe("pending");

    api.enqueue({ content: [{ type: "text", text: "Nothing to change." }] });
    const later = { prisma: db.prisma, store: new PrismaSessionStore(db.prisma, db.sql, workQueueAppendHooks), now: () => new Date(claimedAt.getTime() + CLAIM_TTL_MS + 1_000) };
    expect((await runPendingDreams(later)).started).toEqual([dream.id]);
    const done = await untilStatus(dream.id, "completed");
    expect(done.session_id).toBe(sessionId);
    expect(await contentOf(done.outputs[0]!.memory_store_id)).toEqual({ "/deploy.md": "Deploy with make deploy.\n", "/deploy-notes.md": "make deploy deploys.\n" });
    // started: no later pass takes it again
    expect((await runPendingDreams(later)).started).toEqual([]);
  });

  it("refuses bad input naming the field, and other teams' ids as unknown", async () => {
    const store = await client.beta.memoryStores.create({ name: "Mine" });
    const other = await client.beta.memoryStores.create({ name: "Other" });
    const invalid = async (body: unknown, field: string) => {
      const error = await failure(client.beta.dreams.create(body as never));
      expect([error.status, errorBody(error)?.type]).toEqual([400, "invalid_request_error"]);
      expect(String(errorBody(error)?.message)).toContain(field);
    };
    await invalid({ inputs: inputsOf(store.id), model: "claude-dream-test", output_behavior: { type: "replace_everything" } }, "output_behavior");
    await invalid({ inputs: inputsOf(store.id), model: "claude-dream-test", output_behavior: { type: "update_existing", memory_store_id: other.id } }, "output_behavior.memory_store_id");
    await invalid({ inputs: [inputsOf(store.id)[0]], model: "claude-dream-test" }, "inputs");
    await invalid({ inputs: inputsOf(store.id), model: { id: "claude-dream-test", speed: "fast" } }, "model.speed");
    await invalid({ inputs: inputsOf(store.id), model: "claude-dream-test", instructions: "x".repeat(4097) }, "instructions");

    // another team's store and session are unknown to a stranger, and so are our dreams
    const mine = await failure(stranger.beta.dreams.create({ inputs: inputsOf(store.id), model: "claude-dream-test" }));
    expect([mine.status, String(errorBody(mine)?.message)]).toEqual([404, expect.stringContaining("inputs[0].memory_store_id")]);
    const theirs = await stranger.beta.memoryStores.create({ name: "Theirs" });
    const session = await failure(stranger.beta.dreams.create({ inputs: [{ type: "memory_store", memory_store_id: theirs.id }, { type: "sessions", session_ids: [pastSessionId] }], model: "claude-dream-test" }));
    expect([session.status, String(errorBody(session)?.message)]).toEqual([404, expect.stringContaining("inputs[1].session_ids[0]")]);
    const anyDream = (await collect(client.beta.dreams.list({ include_archived: true })))[0]!;
    for (const call of [() => stranger.beta.dreams.retrieve(anyDream.id), () => stranger.beta.dreams.cancel(anyDream.id), () => stranger.beta.dreams.archive(anyDream.id)]) {
      expect((await failure(call())).status).toBe(404);
    }
    expect((await collect(stranger.beta.dreams.list({ include_archived: true })))).toEqual([]);
    expect((await failure(client.beta.dreams.list({ statuses: ["sleeping" as never] }))).status).toBe(400);
  });
});
