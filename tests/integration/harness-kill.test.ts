import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { newSessionInput, seedSessionPrereqs } from "@/tests/fixtures/seed";
import { until as waitUntil } from "@/tests/fixtures/wait";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";

/**
 * Harness processes (`npm run worker`) killed with SIGKILL, once in the middle of a streamed answer
 * and once in the middle of a tool call; a third process finishes the session. Real PostgreSQL,
 * the real Anthropic SDK against the scripted Messages API, the real bubblewrap sandbox.
 */
const LONG_ANSWER = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
const FINAL_ANSWER = "All done: the command was interrupted, so I did not run it again.";
const COMMAND = "echo ran >> /workspace/runs.txt; sleep 60; echo finished";
const LEASE_MS = 1500;

const available = await requirePostgres("the harness kill test");
if (spawnSync("bwrap", ["--version"]).status !== 0) throw new Error("bubblewrap missing: run scripts/install-system-deps.sh");

describe.runIf(available)("a harness killed with SIGKILL is replaced and the session continues", () => {
  let test: TTestDatabase;
  let server: MessagesApiServer;
  let dataDir: string;
  const workers: ChildProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    test = await openTestDatabase("postgres");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-kill-"));
    fs.chmodSync(dataDir, 0o711); // sandboxes run as an unprivileged user who must traverse it
    let call = 0;
    server = await startMessagesApiServer({
      interChunkDelayMs: 15,
      respond: () => {
        call++;
        if (call === 1) return { content: [{ type: "text", text: LONG_ANSWER }] };
        if (call === 2) return { content: [{ type: "text", text: "Running it." }, { type: "tool_use", name: "bash", input: { command: COMMAND } }] };
        return { content: [{ type: "text", text: FINAL_ANSWER }] };
      },
    });
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    await server?.close();
    await test?.cleanup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(name: string): ChildProcess {
    const child = spawn(process.execPath, [...NODE_HOOKS, "scripts/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: test.target.kind === "postgres" ? test.target.url : "",
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: server.url,
        DATA_DIR: dataDir,
        HARNESS_LEASE_MS: String(LEASE_MS),
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => output.push(`[${name}] ${d}`));
    child.stderr!.on("data", (d: Buffer) => output.push(`[${name}] ${d}`));
    workers.push(child);
    return child;
  }

  const until = (what: string, check: () => boolean | Promise<boolean>) => waitUntil(what, check, { timeoutMs: 30_000, detail: () => output.join("") });

  async function kill(child: ChildProcess) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  function runsRecorded(): number {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === "runs.txt") found.push(fs.readFileSync(full, "utf8"));
      }
    };
    const root = path.join(dataDir, "sandboxes");
    if (fs.existsSync(root)) walk(root);
    return found.join("").split("\n").filter((line) => line === "ran").length;
  }

  it("loses no event, duplicates none, completes the answer and never runs the tool twice", async () => {
    const store = new PrismaSessionStore(test.db.prisma, undefined, workQueueAppendHooks);
    const prereqs = await seedSessionPrereqs(test.db.prisma);
    const agentSnapshot = { type: "agent", model: { id: "claude-kill-test" }, system: "You are tested.", tools: [{ type: "agent_toolset_20260401" }] };
    const session = await store.createSession(newSessionInput(prereqs, { agentSnapshot }));
    await store.appendEvents(session.id, [{ type: "user.message", content: [{ type: "text", text: "Answer at length, then run the command." }] }], { wake: true });

    // 1. killed in the middle of a streamed answer
    const first = startWorker("A");
    await until("the first model request to stream", () => server.requests.length >= 1);
    await until("40 deltas of the 300-word answer to be streamed", () => server.requests[0]!.deltasSent >= 40); // partway: ~45 words
    expect(server.requests[0]!.clientClosed).toBe(false);
    await kill(first);

    // 2. a second worker re-issues the call, runs the tool, and is killed while the tool runs
    const second = startWorker("B");
    await until("the tool to start", () => runsRecorded() === 1);
    await kill(second);

    // 3. a third worker finishes the session
    const third = startWorker("C");
    await until("the session to finish", async () => {
      const s = await store.getSession(session.id);
      return s?.state.status === "idle" && s.state.stopReason?.type === "end_turn";
    });

    const events = await store.getEvents(session.id, { limit: 10_000 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    const messages = events.flatMap((e) => (e.body.type === "agent.message" ? [e.body.content.map((b) => ("text" in b ? b.text : "")).join("")] : []));
    expect(messages).toEqual(["Running it.", FINAL_ANSWER]); // nothing of the cut-off answer was stored
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]!.body!.messages).toEqual(server.requests[0]!.body!.messages); // the same call, re-issued

    const uses = events.filter((e) => e.body.type === "agent.tool_use");
    expect(uses).toHaveLength(1);
    const results = events.filter((e) => e.body.type === "agent.tool_result");
    expect(results).toHaveLength(1);
    expect(results[0]!.body).toMatchObject({ tool_use_id: uses[0]!.id, is_error: true });
    expect(JSON.stringify(results[0]!.body)).toMatch(/interrupted/);
    expect(runsRecorded()).toBe(1); // the tool ran once and was not run again

    const types = events.map((e) => e.body.type);
    expect(types.filter((t) => t === "span.model_request_start")).toHaveLength(3);
    expect(types.filter((t) => t === "span.model_request_end")).toHaveLength(2);
    expect(types.at(-1)).toBe("session.status_idle");
    await kill(third);
  });
});
