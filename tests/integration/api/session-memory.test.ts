import fs from "node:fs";
import path from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessagesApiServer } from "@/tests/fixtures/messages-api";
import { startScriptedApp, type ScriptedApp } from "@/tests/fixtures/scripted-app";
import { collect, failure } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

/**
 * Memory stores mounted into a session's sandbox, through the official SDK against the real server
 * with the real local (bubblewrap) sandbox and a scripted model: the agent reads a store's memories
 * as files under /mnt/memory/<name>, what it writes there becomes new versions written by the
 * session, a read-only store refuses writes at the file system, and a memory changed by someone
 * else while the command ran keeps their version, the agent told so in its tool result.
 */
type TEvent = { type: string; id: string; [key: string]: unknown };

let scripted: ScriptedApp | undefined;
let api: MessagesApiServer;
let client: Anthropic;
let environmentId: string;
let agentId: string;

beforeAll(async () => {
  scripted = await startScriptedApp({ environmentName: "memory env" });
  ({ api, client, environmentId } = scripted);
  agentId = (await client.beta.agents.create({ name: "remembering agent", model: "claude-memory-test", system: "You remember.", tools: [{ type: "agent_toolset_20260401" }] } as never)).id;
}, 600_000);
afterAll(() => scripted?.stop());

const memories = () => client.beta.memoryStores.memories;
const say = (text: string) => ({ events: [{ type: "user.message" as const, content: [{ type: "text" as const, text }] }] });
const bash = (command: string) => ({ content: [{ type: "tool_use" as const, name: "bash", input: { command } }] });
const tool = (name: string, input: Record<string, unknown>) => ({ content: [{ type: "tool_use" as const, name, input }] });
const done = { content: [{ type: "text" as const, text: "Done." }] };

async function untilIdle(sessionId: string): Promise<TEvent[]> {
  let events: TEvent[] = [];
  await until(`session ${sessionId} idle`, async () => {
    events = (await collect(client.beta.sessions.events.list(sessionId, { limit: 100 }))) as unknown as TEvent[];
    const last = events.at(-1);
    return last?.type === "session.status_idle" && (last.stop_reason as { type: string }).type === "end_turn";
  }, { timeoutMs: 120_000 });
  return events;
}

const resultText = (events: TEvent[]) =>
  events
    .filter((e) => e.type === "agent.tool_result")
    .map((e) => (e.content as Array<{ text: string }>).map((b) => b.text).join(""))
    .join("\n");

async function memoryAt(storeId: string, memoryPath: string) {
  const all = await collect(memories().list(storeId, { view: "full" } as never));
  return (all as Array<{ id: string; path: string; content: string | null }>).find((m) => m.path === memoryPath);
}

describe("memory stores in a session's sandbox, through the official SDK", () => {
  it("mounts a read-write store the agent reads and writes (new versions by the session) and a read-only one it cannot write", async () => {
    const notes = await client.beta.memoryStores.create({ name: "Team Notes", description: "What the team learned" });
    const noteMemory = await memories().create(notes.id, { path: "/notes.md", content: "first note\n" });
    const obsolete = await memories().create(notes.id, { path: "/obsolete.md", content: "forget me\n" });
    const policies = await client.beta.memoryStores.create({ name: "Policies" });
    await memories().create(policies.id, { path: "/rules.md", content: "be kind\n" });

    const session = await client.beta.sessions.create({
      agent: agentId,
      environment_id: environmentId,
      resources: [
        { type: "memory_store", memory_store_id: notes.id, instructions: "Keep notes here." },
        { type: "memory_store", memory_store_id: policies.id, access: "read_only" },
      ],
    });
    expect(session.resources).toEqual([
      { id: expect.stringMatching(/^sesrsc_/), type: "memory_store", memory_store_id: notes.id, access: "read_write", instructions: "Keep notes here.", name: "Team Notes", description: "What the team learned", mount_path: "/mnt/memory/team-notes" },
      { id: expect.stringMatching(/^sesrsc_/), type: "memory_store", memory_store_id: policies.id, access: "read_only", instructions: null, name: "Policies", description: "", mount_path: "/mnt/memory/policies" },
    ]);

    api.enqueue(
      bash("cat /mnt/memory/team-notes/notes.md /mnt/memory/policies/rules.md && echo 'second note' >> /mnt/memory/team-notes/notes.md && rm /mnt/memory/team-notes/obsolete.md"),
      bash("echo 'be mean' > /mnt/memory/policies/rules.md"),
      tool("write", { file_path: "/mnt/memory/team-notes/ideas/a.md", content: "an idea\n" }),
      tool("write", { file_path: "/mnt/memory/policies/rules.md", content: "be mean\n" }),
      tool("read", { file_path: "/mnt/memory/team-notes/notes.md" }),
      done,
    );
    const requestsBefore = api.requests.length;
    await client.beta.sessions.events.send(session.id, say("remember something"));
    const events = await untilIdle(session.id);
    const results = events.filter((e) => e.type === "agent.tool_result");
    const [wrote, refused, written, refusedWrite, read] = results.map((e) => (e.content as Array<{ text: string }>)[0]!.text);
    expect(wrote).toContain("first note\nbe kind");
    expect(wrote).not.toContain("[memory]");
    expect(refused).toContain("Read-only file system");
    expect(results[1]!.is_error).toBe(true);
    // the file tools reach the mounts too; each call sees what the previous ones saved
    expect(written).toBe("Wrote 8 bytes to /mnt/memory/team-notes/ideas/a.md.");
    expect([results[3]!.is_error, refusedWrite]).toEqual([true, "/mnt/memory/policies is a read-only memory store: its files cannot be changed"]);
    expect(read).toContain("first note");
    expect(read).toContain("second note");

    // the model was told where its memory is
    const system = JSON.stringify(api.requests[requestsBefore]!.body!.system);
    expect(system).toContain("You remember.");
    expect(system).toContain("/mnt/memory/team-notes (read-write)");
    expect(system).toContain("Keep notes here.");
    expect(system).toContain("/mnt/memory/policies (read-only)");

    const updated = await memories().retrieve(noteMemory.id, { memory_store_id: notes.id });
    expect(updated.content).toBe("first note\nsecond note\n");
    const versions = await client.beta.memoryStores.memoryVersions.list(notes.id, { memory_id: noteMemory.id });
    expect(versions.data.map((v) => [v.operation, v.created_by])).toEqual([
      ["modified", { type: "session_actor", session_id: session.id }],
      ["created", expect.objectContaining({ type: "api_actor" })],
    ]);
    expect((await memoryAt(notes.id, "/ideas/a.md"))?.content).toBe("an idea\n");
    // a file removed deletes its memory, the deletion a version by the session too
    expect((await failure(memories().retrieve(obsolete.id, { memory_store_id: notes.id }))).status).toBe(404);
    const bySession = await client.beta.memoryStores.memoryVersions.list(notes.id, { session_id: session.id });
    expect(bySession.data.map((v) => [v.operation, v.path]).sort()).toEqual([["created", "/ideas/a.md"], ["deleted", "/obsolete.md"], ["modified", "/notes.md"]]);
    // sessions are listed by the stores they mount
    const mounting = await collect(client.beta.sessions.list({ memory_store_id: policies.id }));
    expect((mounting as Array<{ id: string }>).map((s) => s.id)).toEqual([session.id]);
    expect(await collect(client.beta.sessions.list({ memory_store_id: "memstore_01KBX0000000000000000000AA" }))).toEqual([]);
    // the read-only store is as it was: no version made
    expect((await memoryAt(policies.id, "/rules.md"))?.content).toBe("be kind\n");
    expect((await client.beta.memoryStores.memoryVersions.list(policies.id)).data).toHaveLength(1);
  });

  it("keeps a memory someone else changed while the command ran, and tells the agent its write was not saved", async () => {
    const store = await client.beta.memoryStores.create({ name: "shared" });
    const memory = await memories().create(store.id, { path: "/plan.md", content: "plan v1\n" });
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, resources: [{ type: "memory_store", memory_store_id: store.id }] });

    // the command says it has started (the store is mounted by then), waits for the test's go, then writes
    api.enqueue(bash("touch /workspace/started; while [ ! -e /workspace/go ]; do sleep 0.05; done; echo 'plan v2 (mine)' > /mnt/memory/shared/plan.md; echo 'a new file' > /mnt/memory/shared/other.md"), done);
    await client.beta.sessions.events.send(session.id, say("change the plan"));
    const sandboxes = path.join(scripted!.app.dataDir, "sandboxes");
    const workspace = await until("the command to start", () => {
      const dir = fs.readdirSync(sandboxes).find((name) => name.startsWith(`${session.id}-`) && !name.endsWith(".memory"));
      return dir && fs.existsSync(path.join(sandboxes, dir, "started")) ? path.join(sandboxes, dir) : null;
    }, { timeoutMs: 60_000 });
    await memories().update(memory.id, { memory_store_id: store.id, content: "plan v2 (theirs)\n" });
    fs.writeFileSync(path.join(workspace, "go"), "");

    const events = await untilIdle(session.id);
    expect(resultText(events)).toContain(
      "[memory] memory /plan.md in shared (/mnt/memory/shared/plan.md) was changed by someone else meanwhile; your write was not saved: read it again.",
    );
    expect((await memories().retrieve(memory.id, { memory_store_id: store.id })).content).toBe("plan v2 (theirs)\n");
    const versions = await client.beta.memoryStores.memoryVersions.list(store.id, { memory_id: memory.id });
    expect(versions.data.map((v) => v.created_by?.type)).toEqual(["api_actor", "api_actor"]);
    // the other file of the same call was saved
    expect((await memoryAt(store.id, "/other.md"))?.content).toBe("a new file\n");
  });

  it("refuses a store that is not the team's or is archived, naming the resource, and creates no session", async () => {
    const before = (await collect(client.beta.sessions.list())).length;
    const unknown = await failure(
      client.beta.sessions.create({ agent: agentId, environment_id: environmentId, resources: [{ type: "memory_store", memory_store_id: "memstore_01KBX0000000000000000000AA" }] }),
    );
    expect([unknown.status, unknown.message]).toEqual([404, expect.stringContaining("resources[0].memory_store_id")]);
    const archived = await client.beta.memoryStores.create({ name: "old" });
    await client.beta.memoryStores.archive(archived.id);
    const live = await client.beta.memoryStores.create({ name: "live" });
    const error = await failure(
      client.beta.sessions.create({
        agent: agentId,
        environment_id: environmentId,
        resources: [
          { type: "memory_store", memory_store_id: live.id },
          { type: "memory_store", memory_store_id: archived.id },
        ],
      }),
    );
    expect([error.status, error.message]).toEqual([400, expect.stringContaining("resources[1].memory_store_id")]);
    const twice = await failure(
      client.beta.sessions.create({
        agent: agentId,
        environment_id: environmentId,
        resources: [
          { type: "memory_store", memory_store_id: live.id },
          { type: "memory_store", memory_store_id: live.id, access: "read_only" },
        ],
      }),
    );
    expect([twice.status, twice.message]).toEqual([400, expect.stringContaining("resources[1].memory_store_id")]);
    expect((await collect(client.beta.sessions.list())).length).toBe(before);
  });
});
