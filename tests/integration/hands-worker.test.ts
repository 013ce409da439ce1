import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { startScript, type ScriptProcess } from "@/tests/fixtures/script-process";
import { until } from "@/tests/fixtures/wait";
import { listAllEvents, untilTurnEnds, type TLoggedEvent as TEvent } from "@/tests/fixtures/sdk-client";

/**
 * Self-hosted hands end to end: a session in a `self_hosted` environment whose every tool call is
 * run by the official SDK's own environment worker (`client.beta.environments.work.worker`, from
 * the SDK package), started by `npm run hands` as a separate process against the real server,
 * which calls the scripted Messages API. The worker's tools are ours, each session's in a
 * bubblewrap sandbox whose /workspace is `<workdir>/<session id>`. The platform runs none of the
 * calls: they stay `agent.tool_use` events, the worker answers each with `user.tool_result`, and
 * the model sees those results.
 */

let api: MessagesApiServer;
let app: AppServer;
let client: Anthropic;
let workdir: string;
let hands: ScriptProcess | undefined;

beforeAll(async () => {
  api = await startMessagesApiServer({ interChunkDelayMs: 1 });
  // WORK_ITEM_TTL_SECONDS: a dead worker's item goes to another after 20 s rather than the default 300 s (the SDK's worker
  // heartbeats every half of it); nothing else differs from the defaults
  app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url, WORK_ITEM_TTL_SECONDS: "20" } });
  client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
  workdir = handsDir("oma-hands-");
});

/** A worker's --workdir: the sandbox user of a root worker must pass through it. */
function handsDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o711);
  return dir;
}
afterAll(async () => {
  await hands?.stop();
  await app?.stop();
  await api?.close();
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

const listAll = (sessionId: string) => listAllEvents(client, sessionId);

const textOf = (event: TEvent | undefined) => ((event?.content as { type: string; text: string }[] | undefined) ?? []).map((b) => b.text).join("");

describe("a self-hosted environment's tools run on the SDK's environment worker", () => {
  it("runs every built-in tool call of the session on the worker, and the model gets its results", async () => {
    const environment = await client.beta.environments.create({ name: "my laptop", config: { type: "self_hosted" } });
    const agent = await client.beta.agents.create({ name: "hands agent", model: "claude-sdk-test", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });

    hands = startScript("scripts/hands.ts", {
      args: ["--environment", environment.id, "--workdir", workdir, "--max-idle-ms", "2000"],
      env: { ANTHROPIC_BASE_URL: app.url, ANTHROPIC_API_KEY: app.apiKey },
    });
    await hands.waitForOutput(`hands: polling environment ${environment.id}`);
    expect(hands.output()).toContain(`hands: tools run in a bubblewrap sandbox per session, workspaces in ${workdir}/<session id>`);

    api.enqueue(
      // in the sandbox: its own /workspace, and the worker's directories are not there
      { content: [{ type: "tool_use", name: "bash", input: { command: `echo hi > f && cat f && pwd && (test -e ${workdir} && echo host-visible || echo host-hidden)` } }] },
      { content: [{ type: "tool_use", name: "read", input: { file_path: "/workspace/f" } }] },
      { content: [{ type: "text", text: "The file says hi." }] },
    );
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "write hi to f" }] }] });

    const events = await untilTurnEnds(client, session.id, { detail: () => hands!.output() });

    const uses = events.filter((e) => e.type === "agent.tool_use");
    expect(uses.map((e) => e.name)).toEqual(["bash", "read"]);
    const results = events.filter((e) => e.type === "user.tool_result");
    expect(results.map((e) => e.tool_use_id)).toEqual(uses.map((e) => e.id));
    expect(results.every((e) => e.is_error === false)).toBe(true);
    expect(textOf(results[0])).toBe("hi\n/workspace\nhost-hidden");
    expect(textOf(results[1])).toContain("hi");
    // the platform ran none of them: no platform result, no platform tool execution
    expect(events.some((e) => e.type === "agent.tool_result" || e.type === "span.tool_execution_start")).toBe(false);
    // each call waited for the worker with the session idle, listing it
    for (const use of uses) {
      expect(events.some((e) => e.type === "session.status_idle" && (e.stop_reason as { event_ids?: string[] }).event_ids?.includes(use.id))).toBe(true);
    }
    expect(textOf(events.findLast((e) => e.type === "agent.message"))).toBe("The file says hi.");
    // the worker's tools ran on its machine, in the session's workspace under its workdir
    expect(fs.readFileSync(path.join(workdir, session.id, "f"), "utf8")).toBe("hi\n");
    // and the model saw the worker's results
    const second = JSON.stringify(api.requests.at(-2)!.body!.messages);
    expect(second).toContain(String(uses[0]!.id));
    expect(second).toContain("hi");

    // idle for its maxIdleMs after the turn, the worker stops its item: the token dies with it
    const [item] = (await client.beta.environments.work.list(environment.id)).data;
    expect(item).toMatchObject({ data: { type: "session", id: session.id } });
    await until(
      "the worker to stop its work item",
      async () => (await client.beta.environments.work.retrieve(item!.id, { environment_id: environment.id })).state === "stopped",
      { timeoutMs: 30_000, intervalMs: 250, detail: () => hands!.output() },
    );
    expect((await client.beta.environments.work.stats(environment.id)).depth).toBe(0);
    // the worker closed the session's tools (its sandbox) before stopping the item: the workspace stays for the session's return
    expect(fs.readFileSync(path.join(workdir, session.id, "f"), "utf8")).toBe("hi\n");
  }, 180_000);

  it("mounts the session's memory stores, which the SDK's worker syncs, in the sandbox: a write becomes a new memory version", async () => {
    const environment = await client.beta.environments.create({ name: "memory laptop", config: { type: "self_hosted" } });
    const agent = await client.beta.agents.create({ name: "memory agent", model: "claude-sdk-test", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const suffix = Math.random().toString(36).slice(2, 8); // the SDK puts each store at its mount path on the machine: one of its own
    const notes = await client.beta.memoryStores.create({ name: `notes ${suffix}` });
    const policies = await client.beta.memoryStores.create({ name: `policies ${suffix}` });
    await client.beta.memoryStores.memories.create(notes.id, { path: "/notes.md", content: "remember the milk" });
    await client.beta.memoryStores.memories.create(policies.id, { path: "/rules.md", content: "be kind" });
    const session = await client.beta.sessions.create({
      agent: agent.id,
      environment_id: environment.id,
      resources: [
        { type: "memory_store", memory_store_id: notes.id },
        { type: "memory_store", memory_store_id: policies.id, access: "read_only" },
      ],
    } as never);
    const [notesPath, policiesPath] = (session.resources as unknown as { mount_path: string }[]).map((r) => r.mount_path);
    expect(notesPath).toMatch(/^\/mnt\/memory\//);
    const memoryDir = handsDir("oma-hands-memory-");
    const worker = startScript("scripts/hands.ts", {
      args: ["--environment", environment.id, "--workdir", memoryDir, "--max-idle-ms", "2000"],
      env: { ANTHROPIC_BASE_URL: app.url, ANTHROPIC_API_KEY: app.apiKey },
    });
    try {
      await worker.waitForOutput(`hands: polling environment ${environment.id}`);
      api.enqueue(
        { content: [{ type: "tool_use", name: "read", input: { file_path: `${notesPath}/notes.md` } }] },
        { content: [{ type: "tool_use", name: "write", input: { file_path: `${notesPath}/todo.md`, content: "buy bread" } }] },
        // bash sees the same files, and the read-only store refuses a write at the file system
        { content: [{ type: "tool_use", name: "bash", input: { command: `cat ${notesPath}/todo.md ${policiesPath}/rules.md; echo x > ${policiesPath}/new.md` } }] },
        { content: [{ type: "text", text: "Noted." }] },
      );
      await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "check your notes" }] }] });
      const events = await until(
        "the session to end its turn",
        async () => {
          const all = await listAll(session.id);
          return all.some((e) => e.type === "session.status_idle" && (e.stop_reason as { type: string }).type === "end_turn") ? all : null;
        },
        { timeoutMs: 90_000, intervalMs: 250, detail: () => worker.output() },
      );
      const results = events.filter((e) => e.type === "user.tool_result");
      expect(results).toHaveLength(3);
      expect(textOf(results[0])).toContain("remember the milk");
      expect(results[1]!.is_error).toBe(false);
      expect(textOf(results[2])).toContain("buy bread");
      expect(textOf(results[2])).toContain("be kind");
      expect(textOf(results[2])).toMatch(/Read-only file system/);
      // the model was told where its memory is, and that the worker saves it
      const system = JSON.stringify(api.requests.at(-1)!.body!.system);
      expect(system).toContain(notesPath);
      expect(system).toContain("The environment's worker saves what you write there");

      // the SDK's sync wrote it back through the memory API with the item's token: a new memory, written by the session
      const todo = await until(
        "the written memory to be saved",
        async () => {
          for await (const m of client.beta.memoryStores.memories.list(notes.id, { view: "full" } as never)) {
            const memory = m as unknown as { type: string; path: string; content?: string; id: string };
            if (memory.type === "memory" && memory.path === "/todo.md") return memory;
          }
          return null;
        },
        { timeoutMs: 60_000, intervalMs: 500, detail: () => worker.output() },
      );
      expect(todo.content).toBe("buy bread");
      const versions = [];
      for await (const v of client.beta.memoryStores.memoryVersions.list(notes.id, { memory_id: todo.id } as never)) versions.push(v as unknown as Record<string, unknown>);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ operation: "created", created_by: { type: "session_actor", session_id: session.id } });
      // the read-only store is unchanged, and the other memory kept its one version
      const rules = [];
      for await (const m of client.beta.memoryStores.memories.list(policies.id)) rules.push((m as unknown as { path: string }).path);
      expect(rules).toEqual(["/rules.md"]);
    } finally {
      await worker.stop();
      for (const dir of [memoryDir, notesPath, policiesPath]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("refuses an unknown --sandbox", async () => {
    const bad = startScript("scripts/hands.ts", { args: ["--environment", "env_x", "--sandbox", "docker"], env: { ANTHROPIC_BASE_URL: app.url, ANTHROPIC_API_KEY: app.apiKey } });
    expect(await bad.waitForExit(60_000)).toBe(2);
    expect(bad.output()).toContain("--sandbox: bubblewrap or none");
  }, 90_000);

  it("gives the item of a worker killed mid-tool to another worker, which runs the call and finishes the session", async () => {
    await hands?.stop(); // the first test's worker: this one starts its own
    const environment = await client.beta.environments.create({ name: "two machines", config: { type: "self_hosted" } });
    const agent = await client.beta.agents.create({ name: "takeover agent", model: "claude-sdk-test", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    // two machines: on the first (the session's workspace there holds `slow`) the command hangs, on the second it finishes
    const [first, second] = [handsDir("oma-hands-a-"), handsDir("oma-hands-b-")];
    fs.mkdirSync(path.join(first, session.id));
    fs.writeFileSync(path.join(first, session.id, "slow"), "");
    const start = (workdir: string) =>
      startScript("scripts/hands.ts", { args: ["--environment", environment.id, "--workdir", workdir], env: { ANTHROPIC_BASE_URL: app.url, ANTHROPIC_API_KEY: app.apiKey } });
    const runs = (workdir: string) => path.join(workdir, session.id, "runs.txt");
    const ran = (workdir: string) => (fs.existsSync(runs(workdir)) ? fs.readFileSync(runs(workdir), "utf8").split("\n").filter(Boolean).length : 0);

    const a = start(first);
    let b: ScriptProcess | undefined;
    try {
      await a.waitForOutput(`hands: polling environment ${environment.id}`);
      api.enqueue(
        { content: [{ type: "tool_use", name: "bash", input: { command: "echo ran >> runs.txt; if [ -e slow ]; then sleep 120; fi; echo done" } }] },
        { content: [{ type: "text", text: "It is done." }] },
      );
      await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "run it" }] }] });
      await until("the command to start on the first machine", () => ran(first) === 1, { timeoutMs: 60_000, intervalMs: 100, detail: () => a.output() });

      a.child.kill("SIGKILL"); // no stop, no last heartbeat: its item's lease runs out
      await a.exited;
      b = start(second);
      const events = await until(
        "the session to end its turn on the second machine",
        async () => {
          const all = await listAll(session.id);
          return all.some((e) => e.type === "session.status_idle" && (e.stop_reason as { type: string }).type === "end_turn") ? all : null;
        },
        { timeoutMs: 120_000, intervalMs: 250, detail: () => b!.output() },
      );
      const [use] = events.filter((e) => e.type === "agent.tool_use");
      const results = events.filter((e) => e.type === "user.tool_result");
      // one answer, the second machine's: the first never answered, and the call was run once there
      expect(results.map((e) => e.tool_use_id)).toEqual([use!.id]);
      expect(textOf(results[0])).toContain("done");
      expect(ran(second)).toBe(1);
      expect(textOf(events.findLast((e) => e.type === "agent.message"))).toBe("It is done.");
      // the item went from the first worker to the second one
      const [item] = (await client.beta.environments.work.list(environment.id)).data;
      expect(item).toMatchObject({ data: { type: "session", id: session.id } });
    } finally {
      a.child.kill("SIGKILL");
      await b?.stop();
      for (const dir of [first, second]) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
