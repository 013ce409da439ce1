import { randomBytes } from "node:crypto";
import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { collect, failure, RFC3339 } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";
import { newSecretToken } from "@/lib/ids";
import { createRepository, startGitHttpServer, type GitHttpServer } from "../git/git-http-fixture";

/**
 * Session resources through the official SDK against the real server (on PostgreSQL, so a second
 * team can be made beside it) with the real local (bubblewrap) sandbox and a scripted model: a file
 * given at creation is in the sandbox at its mount path for the first tool call, a file added to the
 * running session is there for the next one, resources are listed, read and deleted, and bad input
 * or another team's ids are refused (400 naming the field, 404) with nothing changed. A memory store
 * and a repository added to the running session (the platform's extension) are in its sandbox at the
 * next tool call; a memory store deleted is gone from the one after.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };

let api: MessagesApiServer;
let app: AppServer;
let db: Database;
let client: Anthropic;
let stranger: Anthropic;
let environmentId: string;
let agentId: string;
let gitServer: GitHttpServer;
const gitToken = newSecretToken("ghp_");

beforeAll(async () => {
  gitServer = await startGitHttpServer(gitToken);
  createRepository(gitServer, "project");
  api = await startMessagesApiServer({ interChunkDelayMs: 1 });
  app = await startAppServer({ database: "postgres", env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url, VAULT_KEY: randomBytes(32).toString("base64") } });
  db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
  const team = await createTeam(db.prisma, { slug: "resource-strangers", name: "Strangers" });
  client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });
  environmentId = (await client.beta.environments.create({ name: "resources env" })).id;
  agentId = (await client.beta.agents.create({ name: "file reader", model: "claude-files-test", tools: [{ type: "agent_toolset_20260401" }] } as never)).id;
}, 600_000);
afterAll(async () => {
  await db?.close();
  await app?.stop();
  await api?.close();
  await gitServer?.close();
});

const resources = () => client.beta.sessions.resources;
const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });
const bash = (command: string) => ({ content: [{ type: "tool_use" as const, name: "bash", input: { command } }] });
const read = (file_path: string) => ({ content: [{ type: "tool_use" as const, name: "read", input: { file_path } }] });
const done = { content: [{ type: "text" as const, text: "Done." }] };

/** Sends a message, waits for the turn to end, and returns the text of the tool results of that turn. */
async function turn(sessionId: string, ...script: Parameters<MessagesApiServer["enqueue"]>): Promise<string[]> {
  const before = (await collect(client.beta.sessions.events.list(sessionId, { limit: 100 }))).length;
  api.enqueue(...script);
  await client.beta.sessions.events.send(sessionId, say("go"));
  let events: TEvent[] = [];
  await until(`session ${sessionId} idle`, async () => {
    events = (await collect(client.beta.sessions.events.list(sessionId, { limit: 100 }))) as unknown as TEvent[];
    const last = events.at(-1);
    return events.length > before && last?.type === "session.status_idle" && (last.stop_reason as { type: string }).type === "end_turn";
  }, { timeoutMs: 120_000 });
  return events
    .slice(before)
    .filter((e) => e.type === "agent.tool_result")
    .map((e) => (e.content as Array<{ text: string }>).map((b) => b.text).join(""));
}

describe("session resources, through the official SDK", () => {
  it("puts a file given at creation into the sandbox, and one added to the running session before its next tool call", async () => {
    const first = await client.beta.files.upload({ file: await toFile(Buffer.from("first file's bytes\n"), "input.txt") });
    const second = await client.beta.files.upload({ file: await toFile(Buffer.from("added later\n"), "later.txt") });
    const session = await client.beta.sessions.create({
      agent: agentId,
      environment_id: environmentId,
      resources: [{ type: "file", file_id: first.id, mount_path: "data/input.txt" }],
    });
    const given = { type: "file", id: expect.stringMatching(/^sesrsc_/), file_id: first.id, mount_path: "/workspace/data/input.txt", created_at: expect.stringMatching(RFC3339), updated_at: expect.stringMatching(RFC3339) };
    expect(session.resources).toEqual([given]);
    const givenId = (session.resources[0] as { id: string }).id;

    expect(await turn(session.id, bash("cat /workspace/data/input.txt && echo $$ > /workspace/first-sandbox"), done)).toEqual([expect.stringContaining("first file's bytes")]);

    // added while the session has its sandbox: the next tool call sees it, at the default path
    const added = await resources().add(session.id, { type: "file", file_id: second.id });
    expect(added).toEqual({ ...given, file_id: second.id, mount_path: `/workspace/uploads/${second.id}` });
    // (into the same sandbox: what the first call left is still there)
    expect(await turn(session.id, bash(`cat /workspace/uploads/${second.id} && cat data/input.txt && test -e /workspace/first-sandbox && echo same-sandbox`), done)).toEqual([
      expect.stringMatching(/added later\n[^]*first file's bytes\n[^]*same-sandbox/),
    ]);

    // list, get, delete
    expect(await collect(resources().list(session.id))).toEqual([given, added]);
    const page = await resources().list(session.id, { limit: 1 });
    expect([page.data.map((r) => (r as { id: string }).id), page.hasNextPage()]).toEqual([[givenId], true]);
    expect(await resources().retrieve(added.id, { session_id: session.id })).toEqual(added);
    expect(await resources().delete(givenId, { session_id: session.id })).toEqual({ id: givenId, type: "session_resource_deleted" });
    expect(await collect(resources().list(session.id))).toEqual([added]);
    expect((await failure(resources().retrieve(givenId, { session_id: session.id }))).status).toBe(404);
    expect((await failure(resources().delete(givenId, { session_id: session.id }))).status).toBe(404);
    // what was copied already stays in the sandbox
    expect(await turn(session.id, bash("cat /workspace/data/input.txt"), done)).toEqual([expect.stringContaining("first file's bytes")]);
  });

  it("mounts a memory store and clones a repository added to the running session at its next tool call, and unmounts a deleted store", async () => {
    const store = await client.beta.memoryStores.create({ name: "Added Later", description: "notes added mid-session" });
    await client.beta.memoryStores.memories.create(store.id, { path: "/plan.md", content: "remember the plan\n" });
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    expect(await turn(session.id, bash("echo $$ > /workspace/first-sandbox; ls /mnt/memory 2>&1; echo listed"), done)).toEqual([expect.stringContaining("listed")]);

    const added = (await resources().add(session.id, { type: "memory_store", memory_store_id: store.id, access: "read_only" } as never)) as unknown as Record<string, unknown>;
    expect(added).toEqual({
      type: "memory_store",
      id: expect.stringMatching(/^sesrsc_/),
      memory_store_id: store.id,
      access: "read_only",
      instructions: null,
      name: "Added Later",
      description: "notes added mid-session",
      mount_path: "/mnt/memory/added-later",
    });
    // a store is mounted once
    const twice = await failure(resources().add(session.id, { type: "memory_store", memory_store_id: store.id } as never));
    expect([twice.status, twice.message]).toEqual([400, expect.stringMatching(/memory_store_id: .*already among/)]);
    const url = gitServer.url("project.git");
    const repo = (await resources().add(session.id, { type: "github_repository", url, authorization_token: gitToken, mount_path: "src/project" } as never)) as unknown as Record<string, unknown>;
    expect(repo).toEqual({ type: "github_repository", id: expect.stringMatching(/^sesrsc_/), url, mount_path: "/workspace/src/project", created_at: expect.stringMatching(RFC3339), updated_at: expect.stringMatching(RFC3339) });
    expect(JSON.stringify(repo)).not.toContain(gitToken);

    // the next tool calls, in the same sandbox: the agent reads the store and the clone
    expect(await turn(session.id, read("/mnt/memory/added-later/plan.md"), bash("cat /workspace/src/project/README.md; test -e /workspace/first-sandbox && echo same-sandbox; touch /mnt/memory/added-later/x 2>&1"), done)).toEqual([
      expect.stringContaining("remember the plan"),
      expect.stringMatching(/hello from main[^]*same-sandbox[^]*Read-only file system/),
    ]);
    expect(gitServer.requests.some((r) => r.authorized)).toBe(true);

    // deleted: gone from the next tool call; the store itself is untouched
    expect(await resources().delete(added.id as string, { session_id: session.id })).toEqual({ id: added.id, type: "session_resource_deleted" });
    expect(await turn(session.id, bash("ls /mnt/memory/added-later 2>&1; test -e /workspace/first-sandbox && echo same-sandbox"), done)).toEqual([expect.stringMatching(/No such file or directory[^]*same-sandbox/)]);
    expect((await client.beta.memoryStores.memories.list(store.id)).data.map((m) => m.path)).toEqual(["/plan.md"]);
    const events = JSON.stringify(await collect(client.beta.sessions.events.list(session.id, { limit: 100 })));
    expect(events).not.toContain(gitToken);
  });

  it("keeps what the agent leaves under /workspace/outputs as files scoped to the session", async () => {
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    const other = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    await turn(session.id, bash("mkdir -p /workspace/outputs/charts && printf 'the report\\n' > /workspace/outputs/report.md && printf 'a,b\\n' > /workspace/outputs/charts/data.csv && echo written"), done);
    const scoped = async () => (await collect(client.beta.files.list({ scope_id: session.id }))) as unknown as Array<Record<string, unknown> & { id: string; filename: string }>;
    const first = await scoped();
    expect(first.map((f) => f.filename).sort()).toEqual(["data.csv", "report.md"]);
    const report = first.find((f) => f.filename === "report.md")!;
    expect(report).toMatchObject({ type: "file", size_bytes: 11, scope: { type: "session", id: session.id } });
    expect(await (await client.beta.files.download(report.id)).text()).toBe("the report\n");
    // unchanged files are not saved again; a changed one is, as a new file
    await turn(session.id, bash("printf 'second draft\\n' > /workspace/outputs/report.md && echo again"), done);
    const second = await scoped();
    expect(second).toHaveLength(3);
    const draft = second.find((f) => f.filename === "report.md" && f.id !== report.id)!;
    expect(await (await client.beta.files.download(draft.id)).text()).toBe("second draft\n");
    expect(await collect(client.beta.files.list({ scope_id: other.id }))).toEqual([]);
  });

  it("refuses bad input with a 400 or 404 naming the field, another team's ids with 404, and changes nothing", async () => {
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from("x"), "x.txt") });
    const unknownFile = "file_01KBX0000000000000000000AA";
    const createFailure = async (resource: Record<string, unknown>) =>
      failure(client.beta.sessions.create({ agent: agentId, environment_id: environmentId, resources: [{ type: "file", file_id: file.id }, resource as never] }));
    const sessionsBefore = (await collect(client.beta.sessions.list())).length;
    for (const [resource, status, message] of [
      [{ type: "file", file_id: unknownFile }, 404, /resources\[1\]\.file_id: file .* not found/],
      [{ type: "file", file_id: file.id, mount_path: "/etc/passwd" }, 400, /resources\[1\]\.mount_path: must be a path under \/workspace/],
      [{ type: "file", file_id: file.id, mount_path: "a/../../x" }, 400, /resources\[1\]\.mount_path: .*\.\./],
      [{ type: "file", file_id: file.id, mount_path: `/workspace/uploads/${file.id}` }, 400, /resources\[1\]\.mount_path: .*another file/],
    ] as const) {
      const error = await createFailure(resource);
      expect([error.status, error.message]).toEqual([status, expect.stringMatching(message)]);
    }
    const theirs = await stranger.beta.files.upload({ file: await toFile(Buffer.from("theirs"), "t.txt") });
    expect((await createFailure({ type: "file", file_id: theirs.id })).status).toBe(404);
    expect((await collect(client.beta.sessions.list())).length).toBe(sessionsBefore);

    const theirStore = await stranger.beta.memoryStores.create({ name: "Theirs" });
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, resources: [{ type: "file", file_id: file.id }] });
    const [own] = await collect(resources().list(session.id));
    const ownId = (own as { id: string }).id;
    for (const [body, status, message] of [
      [{ type: "file", file_id: file.id, mount_path: "/tmp/x" }, 400, /^400 .*mount_path: must be a path under/],
      [{ type: "file", file_id: unknownFile }, 404, /file_id: file .* not found/],
      [{ type: "file", file_id: theirs.id }, 404, /file_id: file .* not found/],
      [{ type: "file", file_id: file.id, mount_path: "x".repeat(1100) }, 400, /mount_path/],
      [{ type: "memory_store", memory_store_id: "memstore_01KBX0000000000000000000AA" }, 404, /^404 .*memory_store_id: memory store .* not found/],
      [{ type: "memory_store", memory_store_id: theirStore.id }, 404, /memory_store_id: memory store .* not found/],
      [{ type: "github_repository", url: gitServer.url("project.git"), mount_path: `uploads/${file.id}` }, 400, /^400 .*mount_path: \/workspace\/uploads\/\S+ overlaps .*a file of the session/],
      [{ type: "volume", id: "x" }, 400, /type/],
    ] as const) {
      const error = await failure(resources().add(session.id, body as never));
      expect([error.status, error.message]).toEqual([status, expect.stringMatching(message)]);
    }
    // a file has no token to rotate
    const rotate = await failure(resources().update(ownId, { session_id: session.id, authorization_token: "ghp_new" }));
    expect([rotate.status, rotate.message]).toEqual([400, expect.stringMatching(/authorization_token: .*only github_repository/)]);
    // another team sees nothing of the session or its resources
    for (const attempt of [
      () => stranger.beta.sessions.resources.list(session.id),
      () => stranger.beta.sessions.resources.retrieve(ownId, { session_id: session.id }),
      () => stranger.beta.sessions.resources.add(session.id, { type: "file", file_id: theirs.id }),
      () => stranger.beta.sessions.resources.delete(ownId, { session_id: session.id }),
      () => stranger.beta.sessions.resources.update(ownId, { session_id: session.id, authorization_token: "ghp_x" }),
    ]) {
      expect((await failure(attempt())).status).toBe(404);
    }
    expect(await collect(resources().list(session.id))).toEqual([own]);

    // an archived session's resources are final
    await client.beta.sessions.archive(session.id);
    const archived = await failure(resources().add(session.id, { type: "file", file_id: file.id, mount_path: "again.txt" }));
    expect([archived.status, archived.message]).toEqual([400, expect.stringMatching(/archived/)]);
    expect((await failure(resources().delete(ownId, { session_id: session.id }))).status).toBe(400);
    expect(await collect(resources().list(session.id))).toEqual([own]);
  });
});
