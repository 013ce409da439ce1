import { createHash } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createMemory } from "@/lib/memory-stores/create-memory";
import { createMemoryStore } from "@/lib/memory-stores/create-memory-store";
import { listMemories } from "@/lib/memory-stores/list-memories";
import { listMemoryVersions } from "@/lib/memory-stores/list-memory-versions";
import { updateMemory } from "@/lib/memory-stores/update-memory";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { requirePostgres } from "@/tests/fixtures/postgres";

/**
 * Memory stores through the official SDK against the real server on PostgreSQL: every endpoint's
 * wire shape, path rules and limits, path conflicts, versions that are immutable but redactable,
 * optimistic concurrency under concurrent writers (exactly one wins, nothing overwritten), archive,
 * and team isolation. The embedded database runs the same use-cases directly (no second server):
 * byte-ordered paths and the precondition there too.
 */
const available = await requirePostgres("the memory store API suite");

type TApiError = InstanceType<typeof Anthropic.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TApiError);
/** The envelope's `error` object of a failed call. */
const errorBody = (error: TApiError | null) => (error?.error as { error?: Record<string, unknown> } | undefined)?.error;
const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe.runIf(available)("memory stores through the official SDK", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let apiKeyId: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "memory-strangers", name: "Strangers" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });
    apiKeyId = (await db.prisma.apiKey.findFirstOrThrow({ where: { teamId: { not: team.id } }, select: { id: true } })).id;
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it("creates, reads, updates, lists in pages, archives and deletes stores", async () => {
    const store = await client.beta.memoryStores.create({ name: "notes", metadata: { owner: "ada" } });
    expect(store).toEqual({
      id: expect.stringMatching(/^memstore_[0-9A-Z]{26}$/),
      type: "memory_store",
      name: "notes",
      description: "",
      metadata: { owner: "ada" },
      created_at: expect.any(String),
      updated_at: expect.any(String),
      archived_at: null,
    });
    expect(await client.beta.memoryStores.retrieve(store.id)).toEqual(store);
    const updated = await client.beta.memoryStores.update(store.id, { description: "what we learnt", metadata: { owner: null, tier: "pro" } });
    expect([updated.name, updated.description, updated.metadata]).toEqual(["notes", "what we learnt", { tier: "pro" }]);

    const other = await client.beta.memoryStores.create({ name: "other" });
    const pages: string[] = [];
    for await (const s of client.beta.memoryStores.list({ limit: 1 })) pages.push(s.id);
    expect(pages).toEqual([other.id, store.id]);
    expect((await client.beta.memoryStores.list({ "created_at[gte]": new Date(Date.now() + 60_000).toISOString() })).data).toEqual([]);

    const archived = await client.beta.memoryStores.archive(other.id);
    expect(archived.archived_at).toEqual(expect.any(String));
    expect((await client.beta.memoryStores.list()).data.map((s) => s.id)).toEqual([store.id]);
    expect((await client.beta.memoryStores.list({ include_archived: true })).data.map((s) => s.id)).toEqual([other.id, store.id]);
    for (const refused of [() => client.beta.memoryStores.update(other.id, { name: "x" }), () => client.beta.memoryStores.memories.create(other.id, { path: "/a", content: "a" })]) {
      const error = await failure(refused());
      expect([error?.status, errorBody(error)?.details]).toEqual([400, { error_code: "memory_store_archived" }]);
    }
    expect(await client.beta.memoryStores.delete(other.id)).toEqual({ id: other.id, type: "memory_store_deleted" });
    expect((await failure(client.beta.memoryStores.retrieve(other.id)))?.status).toBe(404);

    const blank = await failure(client.beta.memoryStores.create({ name: " " }));
    expect([blank?.status, errorBody(blank)?.type, blank?.message]).toEqual([400, "invalid_request_error", expect.stringContaining("name: must not be empty")]);
  });

  it("writes memories at paths, lists them as a tree, and keeps every write as a version", async () => {
    const { id: storeId } = await client.beta.memoryStores.create({ name: "tree" });
    const memories = client.beta.memoryStores.memories;
    const notes = await memories.create(storeId, { path: "/projects/foo/notes.md", content: "# Notes\nfirst\n" });
    expect(notes).toEqual({
      id: expect.stringMatching(/^mem_[0-9A-Z]{26}$/),
      type: "memory",
      memory_store_id: storeId,
      path: "/projects/foo/notes.md",
      content: null, // view=basic is the default on create
      content_sha256: sha("# Notes\nfirst\n"),
      content_size_bytes: 14,
      memory_version_id: expect.stringMatching(/^memver_/),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await memories.retrieve(notes.id, { memory_store_id: storeId })).content).toBe("# Notes\nfirst\n");
    for (const path of ["/projects/bar.md", "/projects/foo/todo.md", "/readme.md", "/zeta/deep/er/x.md"]) await memories.create(storeId, { path, content: `at ${path}` });

    const all = await memories.list(storeId);
    expect(all.data.map((m) => m.path)).toEqual(["/projects/bar.md", "/projects/foo/notes.md", "/projects/foo/todo.md", "/readme.md", "/zeta/deep/er/x.md"]);
    const top = await memories.list(storeId, { depth: 1 });
    expect(top.data.map((m) => `${m.type} ${m.path}`)).toEqual(["memory_prefix /projects/", "memory /readme.md", "memory_prefix /zeta/"]);
    const walked: string[] = [];
    for await (const item of memories.list(storeId, { depth: 1, path_prefix: "/projects/", limit: 1 })) walked.push(item.path);
    expect(walked).toEqual(["/projects/bar.md", "/projects/foo/"]);
    const full = await memories.list(storeId, { path_prefix: "/projects/foo/", view: "full" });
    expect(full.data.map((m) => (m.type === "memory" ? m.content : null))).toEqual(["# Notes\nfirst\n", "at /projects/foo/todo.md"]);

    // a path taken, or one inside (or around) another memory's, is a conflict naming that memory
    for (const path of ["/projects/foo/notes.md", "/projects/foo/notes.md/x", "/projects"]) {
      const error = await failure(memories.create(storeId, { path, content: "x" }));
      expect(error?.status).toBe(409);
      expect(errorBody(error)).toMatchObject({ type: "memory_path_conflict_error", conflicting_memory_id: expect.stringMatching(/^mem_/) });
    }
    // path rules and limits, named in the message
    const bad: [string, string][] = [
      ["relative.md", "must start with /"],
      ["/a/../b", "must not have . or .. segments"],
      ["/a//b", "empty segments"],
      ["/a/", "empty segments"],
      ["/cafe\u0301", "Normalization Form C"],
      ["/a\u0000b", "control or format characters"],
      [`/${"x".repeat(1024)}`, "at most 1024 bytes"],
      [`/${Array(21).fill("s").join("/")}`, "at most 20 segments"],
    ];
    for (const [path, message] of bad) {
      const error = await failure(memories.create(storeId, { path, content: "x" }));
      expect([error?.status, error?.message]).toEqual([400, expect.stringContaining(message)]);
    }
    const big = await failure(memories.create(storeId, { path: "/big", content: "é".repeat(51_201) }));
    expect([big?.status, big?.message]).toEqual([400, expect.stringContaining("at most 102400 bytes")]);

    // update: content and a rename (same id), a no-op writes nothing, a stale precondition nothing either
    const v2 = await memories.update(notes.id, { memory_store_id: storeId, content: "# Notes\nsecond\n", precondition: { type: "content_sha256", content_sha256: notes.content_sha256 } });
    expect(v2.memory_version_id).not.toBe(notes.memory_version_id);
    const renamed = await memories.update(notes.id, { memory_store_id: storeId, path: "/projects/foo/notes-v2.md" });
    expect([renamed.id, renamed.path, renamed.content_sha256]).toEqual([notes.id, "/projects/foo/notes-v2.md", sha("# Notes\nsecond\n")]);
    expect((await memories.update(notes.id, { memory_store_id: storeId, content: "# Notes\nsecond\n" })).memory_version_id).toBe(renamed.memory_version_id);
    const stale = await failure(memories.update(notes.id, { memory_store_id: storeId, content: "lost", precondition: { type: "content_sha256", content_sha256: notes.content_sha256 } }));
    expect([stale?.status, errorBody(stale)?.type]).toEqual([409, "memory_precondition_failed_error"]);
    expect((await memories.retrieve(notes.id, { memory_store_id: storeId })).content).toBe("# Notes\nsecond\n");

    // versions: newest first, filterable, each readable; a deleted memory's history stays
    const versions = client.beta.memoryStores.memoryVersions;
    const history = await versions.list(storeId, { memory_id: notes.id });
    expect(history.data.map((v) => [v.operation, v.path, v.content])).toEqual([
      ["modified", "/projects/foo/notes-v2.md", null],
      ["modified", "/projects/foo/notes.md", null],
      ["created", "/projects/foo/notes.md", null],
    ]);
    expect(history.data[0]!.created_by).toEqual({ type: "api_actor", api_key_id: apiKeyId });
    const first = await versions.retrieve(history.data[2]!.id, { memory_store_id: storeId });
    expect([first.content, first.content_sha256, first.redacted_at]).toEqual(["# Notes\nfirst\n", notes.content_sha256, null]);
    expect((await versions.list(storeId, { operation: "created", api_key_id: apiKeyId, limit: 100 })).data).toHaveLength(5);
    expect((await versions.list(storeId, { session_id: "sesn_none" })).data).toEqual([]);

    // redact: the content is gone for good, the row stays; the current content cannot be redacted
    const redacted = await versions.redact(first.id, { memory_store_id: storeId });
    expect(redacted).toMatchObject({ id: first.id, operation: "created", content: null, path: null, content_sha256: null, content_size_bytes: null, redacted_at: expect.any(String) });
    expect(redacted.redacted_by).toEqual({ type: "api_actor", api_key_id: apiKeyId });
    expect(await versions.retrieve(first.id, { memory_store_id: storeId })).toEqual(redacted);
    expect(await db.prisma.memoryVersion.findUniqueOrThrow({ where: { id: first.id }, select: { content: true } })).toEqual({ content: null });
    expect((await failure(versions.redact(renamed.memory_version_id, { memory_store_id: storeId })))?.status).toBe(409);

    const wrongHash = await failure(memories.delete(notes.id, { memory_store_id: storeId, expected_content_sha256: sha("other") }));
    expect([wrongHash?.status, errorBody(wrongHash)?.type]).toEqual([409, "memory_precondition_failed_error"]);
    expect(await memories.delete(notes.id, { memory_store_id: storeId, expected_content_sha256: renamed.content_sha256 })).toEqual({ id: notes.id, type: "memory_deleted" });
    expect((await failure(memories.retrieve(notes.id, { memory_store_id: storeId })))?.status).toBe(404);
    const afterDelete = await versions.list(storeId, { memory_id: notes.id });
    expect(afterDelete.data.map((v) => [v.operation, v.content_sha256])).toEqual([["deleted", null], ...history.data.slice(0, 2).map((v) => [v.operation, v.content_sha256]), ["created", null]]);
  });

  it("lets exactly one of many concurrent writers with the same precondition win, and overwrites nothing", async () => {
    const { id: storeId } = await client.beta.memoryStores.create({ name: "race" });
    const memory = await client.beta.memoryStores.memories.create(storeId, { path: "/counter", content: "0" });
    const writers = Array.from({ length: 8 }, (_, i) =>
      client.beta.memoryStores.memories.update(memory.id, { memory_store_id: storeId, content: `writer ${i}`, precondition: { type: "content_sha256", content_sha256: memory.content_sha256 } }),
    );
    const results = await Promise.allSettled(writers);
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect([(r.reason as TApiError).status, errorBody(r.reason as TApiError)?.type]).toEqual([409, "memory_precondition_failed_error"]);
    expect((await client.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: storeId })).content).toBe(`writer ${won[0]}`);
    expect((await client.beta.memoryStores.memoryVersions.list(storeId, { memory_id: memory.id })).data.map((v) => v.operation)).toEqual(["modified", "created"]);
  });

  it("answers 404 for another team's stores, memories and versions, and changes nothing", async () => {
    const { id: storeId } = await client.beta.memoryStores.create({ name: "private" });
    const memory = await client.beta.memoryStores.memories.create(storeId, { path: "/secret.md", content: "mine" });
    const own = await stranger.beta.memoryStores.create({ name: "theirs" });
    const attempts: [string, () => Promise<unknown>][] = [
      ["retrieve store", () => stranger.beta.memoryStores.retrieve(storeId)],
      ["update store", () => stranger.beta.memoryStores.update(storeId, { name: "taken" })],
      ["archive store", () => stranger.beta.memoryStores.archive(storeId)],
      ["delete store", () => stranger.beta.memoryStores.delete(storeId)],
      ["create memory", () => stranger.beta.memoryStores.memories.create(storeId, { path: "/x", content: "x" })],
      ["list memories", () => stranger.beta.memoryStores.memories.list(storeId)],
      ["retrieve memory", () => stranger.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: storeId })],
      ["memory through own store", () => stranger.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: own.id })],
      ["update memory", () => stranger.beta.memoryStores.memories.update(memory.id, { memory_store_id: storeId, content: "theirs" })],
      ["delete memory", () => stranger.beta.memoryStores.memories.delete(memory.id, { memory_store_id: storeId })],
      ["list versions", () => stranger.beta.memoryStores.memoryVersions.list(storeId)],
      ["retrieve version", () => stranger.beta.memoryStores.memoryVersions.retrieve(memory.memory_version_id, { memory_store_id: storeId })],
      ["redact version", () => stranger.beta.memoryStores.memoryVersions.redact(memory.memory_version_id, { memory_store_id: own.id })],
    ];
    for (const [name, attempt] of attempts) expect([name, (await failure(attempt()))?.status]).toEqual([name, 404]);
    expect((await client.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: storeId })).content).toBe("mine");
    expect((await stranger.beta.memoryStores.list()).data.map((s) => s.id)).toEqual([own.id]);
  });
});

describe("memory stores on the embedded database (PGlite)", () => {
  let test: TTestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it("orders paths by bytes, rolls directories up, and refuses a stale precondition", async () => {
    const { prisma } = test.db;
    const actor = { type: "user_actor" as const, id: "user_test" };
    const team = await createTeam(prisma, { slug: "memory-pglite", name: "PGlite" });
    const store = await createMemoryStore(prisma, { teamId: team.id, body: { name: "s" } });
    const write = (path: string) => createMemory(prisma, { teamId: team.id, storeId: store.id, body: { path, content: path }, actor });
    for (const path of ["/ab", "/a/y", "/a-b", "/a/c", "/B"]) await write(path);
    const list = (query: Record<string, string>) => listMemories(prisma, { teamId: team.id, storeId: store.id, query: new URLSearchParams(query) });
    expect((await list({})).data.map((m) => m.path)).toEqual(["/B", "/a-b", "/a/c", "/a/y", "/ab"]);
    expect((await list({ depth: "1" })).data.map((m) => m.path)).toEqual(["/B", "/a-b", "/a/", "/ab"]);

    const [first] = (await list({ path_prefix: "/a/" })).data as { id: string; content_sha256: string }[];
    const update = (content: string) =>
      updateMemory(prisma, { teamId: team.id, storeId: store.id, memoryId: first!.id, body: { content, precondition: { type: "content_sha256", content_sha256: first!.content_sha256 } }, actor });
    const results = await Promise.allSettled([update("one"), update("two")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const versions = await listMemoryVersions(prisma, { teamId: team.id, storeId: store.id, query: new URLSearchParams({ memory_id: first!.id }) });
    expect(versions.data.map((v) => [v.operation, v.created_by])).toEqual([
      ["modified", { type: "user_actor", user_id: "user_test" }],
      ["created", { type: "user_actor", user_id: "user_test" }],
    ]);
  });
});
