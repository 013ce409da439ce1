import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERNAL_EVENT_TYPES, type TEventType } from "@/lib/event-log/events";
import { newSecretToken } from "@/lib/ids";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from "@/tests/fixtures/postgres";
import { collect } from "@/tests/fixtures/sdk-client";
import { until, withDeadline } from "@/tests/fixtures/wait";
import { killWorkerProcess, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";

/**
 * A coordinator's three threads, each in the middle of a bash command in the session's real
 * bubblewrap sandbox, when the `npm run worker` process running the session is killed with
 * SIGKILL. The web server (HARNESS_IN_PROCESS=false) and the workers share one PostgreSQL, every
 * process on its defaults (15 s harness lease). A new worker takes the session once the lease runs
 * out and resumes all three threads from the log: each interrupted call is reported as
 * interrupted (bash is not idempotent: never run twice), each thread answers, the coordinator
 * collects the three answers and ends its turn. Driven and checked through the official SDK.
 */
const THREADS = ["alpha", "beta", "gamma"] as const;
/** Long enough that the three are still running when the last one starts, even on a loaded machine. */
const command = (name: string) => `echo ran >> /workspace/${name}.txt; sleep 8; echo done`;

type TRow = { seq: number; id: string; type: string; payload: Record<string, unknown>; createdAt: Date };
type TEvent = { id: string; type: string; [key: string]: unknown };

const textOf = (content: unknown) => ((content ?? []) as Array<{ type: string; text?: string }>).map((b) => b.text ?? "").join("");

/** The coordinator starts the three at once, waits for them, then answers with what they said; each thread runs its command, then reports. */
function respond(request: MessagesRequest): TTurn {
  const system = JSON.stringify(request.body.system ?? "");
  const messages = request.body.messages;
  const thread = THREADS.find((name) => system.includes(`You are ${name}.`));
  if (thread) {
    const results = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b): b is Anthropic.ToolResultBlockParam => b.type === "tool_result");
    if (results.length === 0) return { content: [{ type: "tool_use", name: "bash", input: { command: command(thread) } }] };
    const said = results.map((r) => (typeof r.content === "string" ? r.content : textOf(r.content))).join(" ");
    return { content: [{ type: "text", text: `${thread} reports: ${said.split(":")[0]}` }] };
  }
  const said = JSON.stringify(messages);
  if (said.includes("Threads settled")) {
    const reports = [...said.matchAll(/(alpha|beta|gamma) reports: ([^"\\]*)/g)].map((m) => m[0]).sort();
    return { content: [{ type: "text", text: `Summary: ${reports.join(" | ")}` }] };
  }
  if (said.includes("Started thread")) return { content: [{ type: "tool_use", name: "wait_for_threads", input: {} }] };
  return { content: THREADS.map((name) => ({ type: "tool_use" as const, name: "start_thread", input: { agent: name, task: `Run your command, ${name}.` } })) };
}

const available = await requirePostgres("the threads crash test");
if (available && spawnSync("bwrap", ["--version"]).status !== 0) throw new Error("bubblewrap missing: run scripts/install-system-deps.sh");

describe.runIf(available)("a worker killed with SIGKILL while a coordinator's three threads run tools", () => {
  let scratch: ScratchDatabase;
  let model: MessagesApiServer;
  let web: AppServer;
  let dataDir: string;
  let env: Record<string, string>;
  const apiKey = newSecretToken("oma_");
  const workers: TWorkerProcess[] = [];
  const output: string[] = [];

  const startWorker = (name: string) => {
    const worker = startWorkerProcess({ name, output, env: { ...env, LOG_LEVEL: "info" } });
    workers.push(worker);
    return worker.ready;
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase("oma_threads_crash");
    model = await startMessagesApiServer({ respond });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-threads-crash-"));
    fs.chmodSync(dataDir, 0o711); // sandboxes run as an unprivileged user who must traverse it
    env = {
      DATABASE_URL: scratch.url,
      DATA_DIR: dataDir, // the web server and the workers share it, as on one host
      BOOTSTRAP_API_KEY: apiKey,
      NEXTAUTH_SECRET: newSecretToken("threads_"),
      ANTHROPIC_API_KEY: "threads-crash-model-key",
      ANTHROPIC_BASE_URL: model.url,
    };
    web = await startAppServer({ env: { ...env, HARNESS_IN_PROCESS: "false" } }); // migrates the database
    await startWorker("worker-1");
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => killWorkerProcess(worker, "SIGKILL")));
    await web?.stop();
    await model?.close();
    await scratch?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes all three threads from the log: none lost or doubled, no command run twice", async () => {
    const client = new Anthropic({ apiKey, baseURL: web.url });
    const roster = [];
    for (const name of THREADS) roster.push(await client.beta.agents.create({ name, model: "claude-threads-crash", system: `You are ${name}.`, tools: [{ type: "agent_toolset_20260401" }] } as never));
    const lead = await client.beta.agents.create({
      name: "lead",
      model: "claude-threads-crash",
      system: "You coordinate three.",
      tools: [{ type: "agent_toolset_20260401" }],
      multiagent: { type: "coordinator", agents: roster.map((agent) => agent.id) },
    } as never);
    const environment = await client.beta.environments.create({ name: "threads crash sandboxes" });
    const session = await client.beta.sessions.create({ agent: lead.id, environment_id: environment.id });

    // the session's stream and the coordinator's thread's stream, open from the start
    const primaryId = `sthr_${session.id.slice("sesn_".length)}`;
    const streamed: TEvent[] = [];
    const streaming = readUntilEndOfTurn(await client.beta.sessions.events.stream(session.id), streamed);
    const primaryStreamed: TEvent[] = [];
    const primaryStreaming = readUntilEndOfTurn(await client.beta.sessions.threads.events.stream(primaryId, { session_id: session.id }), primaryStreamed);
    for (const reading of [streaming, primaryStreaming]) reading.catch(() => {}); // awaited below, after the crash
    const started = Date.now();
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "Have the three run their commands." }] }] });

    const database = new pg.Client({ connectionString: scratch.url });
    await database.connect();
    const rowsOf = async () =>
      (await database.query<TRow>(`SELECT seq, id, type, payload, "createdAt" FROM "SessionEvent" WHERE "sessionId" = $1 ORDER BY seq`, [session.id])).rows;
    const detail = () => output.join("").slice(-4_000);
    try {
      // all three commands running at once: each has started (its line is in the workspace), none has a result
      await until("the three commands to be running", () => THREADS.every((name) => runsOf(dataDir, session.id, name) === 1), { timeoutMs: 60_000, intervalMs: 50, detail });
      const atKill = await rowsOf();
      const bashCalls = atKill.filter((row) => row.type === "agent.tool_use" && row.payload.name === "bash");
      expect(bashCalls).toHaveLength(3);
      expect(atKill.filter((row) => row.type === "agent.tool_result" && bashCalls.some((call) => call.id === row.payload.tool_use_id))).toEqual([]);
      const killedAt = Date.now();
      await killWorkerProcess(workers[0]!, "SIGKILL");
      await startWorker("worker-2");

      await until(
        "the session to end its turn",
        async () => (await rowsOf()).some((row) => row.type === "session.status_idle" && (row.payload.stop_reason as { type: string }).type === "end_turn"),
        { timeoutMs: 90_000, intervalMs: 250, detail },
      );
      const endedAt = Date.now();
      await withDeadline("the SDK streams to see the end of the turn", Promise.all([streaming, primaryStreaming]), 30_000);
      console.log(`threads-crash: the three commands started ${((killedAt - started) / 1000).toFixed(1)} s after the message; the session ended its turn ${((endedAt - killedAt) / 1000).toFixed(1)} s after the kill`);

      const rows = await rowsOf();
      // a gapless log, one end of turn, the last event
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
      expect(rows.filter((row) => row.type === "session.status_idle")).toHaveLength(1);
      expect(rows.at(-1)!.type).toBe("session.status_idle");

      // each thread created once
      const created = rows.filter((row) => row.type === "session.thread_created");
      expect(created.map((row) => row.payload.agent_name).sort()).toEqual([...THREADS]);
      const threadIds = created.map((row) => row.payload.session_thread_id as string);
      expect(new Set(threadIds).size).toBe(3);
      const threadOf = (name: string) => created.find((row) => row.payload.agent_name === name)!.payload.session_thread_id as string;

      // every tool call answered once: three start_thread and a wait_for_threads, one bash per thread
      const uses = rows.filter((row) => row.type === "agent.tool_use");
      expect(uses.map((row) => row.payload.name).sort()).toEqual(["bash", "bash", "bash", "start_thread", "start_thread", "start_thread", "wait_for_threads"]);
      for (const use of uses) expect(rows.filter((row) => row.type === "agent.tool_result" && row.payload.tool_use_id === use.id), String(use.payload.name)).toHaveLength(1);

      for (const name of THREADS) {
        const thread = threadOf(name);
        // its one command started once, before the kill, and was reported as interrupted, not run again
        expect(runsOf(dataDir, session.id, name), name).toBe(1);
        const use = uses.find((row) => row.payload.name === "bash" && row.payload.session_thread_id === thread)!;
        expect(use.payload.input).toEqual({ command: command(name) });
        expect(rows.filter((row) => row.type === "span.tool_execution_start" && row.payload.tool_use_id === use.id)).toHaveLength(1);
        const result = rows.find((row) => row.type === "agent.tool_result" && row.payload.tool_use_id === use.id)!;
        expect(result.payload).toMatchObject({ is_error: true, session_thread_id: thread });
        expect(textOf(result.payload.content)).toMatch(/^The bash call was interrupted/);
        expect(result.seq).toBeGreaterThan(atKill.at(-1)!.seq);
        // its reply reached the coordinator once
        const replies = rows.filter((row) => row.type === "agent.thread_message_received" && row.payload.from_session_thread_id === thread);
        expect(replies.map((row) => textOf(row.payload.content)), name).toEqual([`${name} reports: The bash call was interrupted`]);
      }
      // the three ran at the same time: every start before any result, within the command's sleep of each other
      const starts = rows.filter((row) => row.type === "span.tool_execution_start" && uses.some((use) => use.payload.name === "bash" && use.id === row.payload.tool_use_id));
      const results = rows.filter((row) => row.type === "agent.tool_result" && starts.some((start) => start.payload.tool_use_id === row.payload.tool_use_id));
      expect(Math.max(...starts.map((row) => row.seq))).toBeLessThan(Math.min(...results.map((row) => row.seq)));
      const startTimes = starts.map((row) => row.createdAt.getTime());
      expect(Math.max(...startTimes) - Math.min(...startTimes)).toBeLessThan(8_000);

      // the coordinator answered with what the three said
      const final = rows.findLast((row) => row.type === "agent.message")!;
      expect(final.payload.session_thread_id ?? null).toBeNull();
      expect(textOf(final.payload.content)).toBe(`Summary: ${THREADS.map((name) => `${name} reports: The bash call was interrupted`).join(" | ")}`);

      // through the SDK: the list and the stream are the log; the thread list agrees with it
      const wire = rows.filter((row) => !INTERNAL_EVENT_TYPES.includes(row.type as TEventType));
      const listed = await collect(client.beta.sessions.events.list(session.id, { limit: 100 }));
      expect(listed.map((event) => event.id)).toEqual(wire.map((row) => row.id));
      expect(streamed.map((event) => event.id)).toEqual(wire.map((row) => row.id));
      const threads = await collect(client.beta.sessions.threads.list(session.id));
      expect(threads.map((t) => [t.id, t.parent_thread_id, t.status, t.agent.type === "agent" ? t.agent.name : null])).toEqual([
        [primaryId, null, "idle", "lead"],
        ...THREADS.map((name) => [threadOf(name), primaryId, "idle", name]),
      ]);
      expect(primaryStreamed.map((event) => event.id)).toEqual(wire.filter((row) => (row.payload.session_thread_id ?? primaryId) === primaryId).map((row) => row.id));
      for (const name of THREADS) {
        const own = await collect(client.beta.sessions.threads.events.list(threadOf(name), { session_id: session.id }));
        expect(own.map((event) => event.id), name).toEqual(wire.filter((row) => row.payload.session_thread_id === threadOf(name)).map((row) => row.id));
      }
    } finally {
      await database.end();
    }
  }, 180_000);
});

/** Reads an SDK stream into `into` until the session's turn ends. */
async function readUntilEndOfTurn(stream: unknown, into: TEvent[]): Promise<void> {
  for await (const event of stream as AsyncIterable<TEvent>) {
    into.push(event);
    if (event.type === "session.status_idle" && (event.stop_reason as { type: string }).type === "end_turn") return;
  }
}

/** Lines `ran` in `<name>.txt` of the session's sandbox workspaces under DATA_DIR/sandboxes: how often that thread's command started. */
function runsOf(dataDir: string, sessionId: string, name: string): number {
  const root = path.join(dataDir, "sandboxes");
  let runs = 0;
  for (const dir of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (!dir.startsWith(`${sessionId}-`)) continue;
    try {
      runs += fs.readFileSync(path.join(root, dir, `${name}.txt`), "utf8").split("\n").filter((line) => line === "ran").length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return runs;
}
