import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { openTestDatabase, type TTestDatabase } from "@/tests/fixtures/databases";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { newSessionInput, seedSessionPrereqs, userMessage } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";
import { killWorkerProcess, oneToolThenAnswer, runsRecorded, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";

/**
 * Two `npm run worker` processes on one PostgreSQL, four sessions in the middle of a tool call on
 * the first; SIGTERM it. Real PostgreSQL, the real SDK against the scripted Messages API, the real
 * bubblewrap sandbox, the workers' defaults — except a two-minute lease, so that a session that
 * moves on within the test was handed over, not taken over after its lease ran out. The second
 * worker serves its metrics (METRICS_TOKEN, METRICS_PORT), read once it has finished the sessions.
 */
const MARKER = `oma-sigterm-${process.pid}-${Date.now()}`;
const COMMAND = `echo ran >> /workspace/runs.txt; sleep 600; echo ${MARKER}`;
const SESSIONS = 4;
const METRICS_TOKEN = `metrics-${process.pid}-${Date.now()}-token`;

const available = await requirePostgres("the harness SIGTERM test");
if (spawnSync("bwrap", ["--version"]).status !== 0) throw new Error("bubblewrap missing: run scripts/install-system-deps.sh");

describe.runIf(available)("a worker stopped with SIGTERM hands its sessions to another at once", () => {
  let test: TTestDatabase;
  let model: MessagesApiServer;
  let dataDir: string;
  const workers: TWorkerProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    test = await openTestDatabase("postgres");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-sigterm-"));
    fs.chmodSync(dataDir, 0o711); // sandboxes run as an unprivileged user who must traverse it
    model = await startMessagesApiServer({ respond: oneToolThenAnswer(COMMAND) });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => killWorkerProcess(w, "SIGKILL")));
    await model?.close();
    await test?.cleanup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker(name: string, extraEnv: Record<string, string> = {}): TWorkerProcess {
    const worker = startWorkerProcess({
      name,
      output,
      env: {
        DATABASE_URL: test.target.kind === "postgres" ? test.target.url : "",
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: model.url,
        DATA_DIR: dataDir,
        HARNESS_LEASE_MS: "120000",
        LOG_LEVEL: "info",
        ...extraEnv,
      },
    });
    workers.push(worker);
    return worker;
  }

  /** What the workers wrote, for a timeout's error. */
  const workerOutput = () => output.join("").slice(-8_000);

  /** Processes whose command line carries the marker: the sandboxed commands still running. */
  function commandsRunning(): number {
    let count = 0;
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(MARKER)) count++;
      } catch {
        // gone meanwhile
      }
    }
    return count;
  }

  it("finishes every session, with one tool result each, and strands none", async () => {
    const store = new PrismaSessionStore(test.db.prisma, undefined, workQueueAppendHooks);
    const prereqs = await seedSessionPrereqs(test.db.prisma);
    const agentSnapshot = { type: "agent", model: { id: "claude-sigterm-test" }, system: null, tools: [{ type: "agent_toolset_20260401" }] };

    const first = startWorker("A");
    await first.ready;
    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const session = await store.createSession(newSessionInput(prereqs, { agentSnapshot }));
      await store.appendEvents(session.id, [userMessage("Run the long command.")], { wake: true });
      ids.push(session.id);
    }
    await until("the four commands to run on A", () => runsRecorded(dataDir) === SESSIONS, { timeoutMs: 60_000, detail: workerOutput });
    const second = startWorker("B", { METRICS_TOKEN, METRICS_PORT: "0" });
    await second.ready;
    const lastSeqs = await Promise.all(ids.map(async (id) => (await store.getSession(id))!.state.lastSeq));

    const sigtermAt = Date.now();
    const exitCode = await killWorkerProcess(first, "SIGTERM");
    const exitedAfterMs = Date.now() - sigtermAt;
    expect(exitCode).toBe(0);
    expect(commandsRunning()).toBe(0); // A's commands died with its sandboxes, before it exited

    await until("every session to finish on B", async () => {
      const sessions = await Promise.all(ids.map((id) => store.getSession(id)));
      return sessions.every((s) => s?.state.status === "idle" && s.state.stopReason?.type === "end_turn");
    }, { timeoutMs: 60_000, detail: workerOutput });
    const handoffMs: number[] = [];
    for (const [i, id] of ids.entries()) {
      const events = await store.getEvents(id, { limit: 1_000 });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n + 1));
      const results = events.filter((e) => e.body.type === "agent.tool_result");
      expect(results).toHaveLength(1);
      expect(results[0]!.body).toMatchObject({ is_error: true });
      expect(JSON.stringify(results[0]!.body)).toMatch(/interrupted/);
      handoffMs.push(new Date(events.find((e) => e.seq === lastSeqs[i]! + 1)!.createdAt).getTime() - sigtermAt);
    }
    // A's workspaces went with its destroyed sandboxes; B's are alive, and B ran no command again
    expect(runsRecorded(dataDir)).toBe(0);
    // nothing stranded: no session is left with work queued for nobody, or running without work
    expect(await test.db.prisma.sessionWork.count({ where: { sessionId: { in: ids } } })).toBe(0);

    // B's own metrics, on the port it logged: refused without the token; with it, the model requests it made
    const port = Number(/worker metrics served.*?\bport"?[:=](\d+)/.exec(output.filter((line) => line.startsWith("[B]")).join(""))?.[1]);
    expect(port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/gen_ai_client_token_usage_count\{[^}]*gen_ai_request_model="claude-sigterm-test"[^}]*\} [1-9]/);
    expect(text).toMatch(/managed_agents_log_append_duration_count(\{[^}]*\})? [1-9]/);
    console.log(`SIGTERM → A exited in ${exitedAfterMs} ms; → each session's next event on B: ${handoffMs.join(", ")} ms`);
  });
});
