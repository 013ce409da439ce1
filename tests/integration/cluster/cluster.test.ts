import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERNAL_EVENT_TYPES, type TEventType } from "@/lib/event-log/events";
import { newSecretToken } from "@/lib/ids";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from "@/tests/fixtures/postgres";
import { requireRedis, TEST_REDIS_URL } from "@/tests/fixtures/redis";
import { until } from "@/tests/fixtures/wait";
import { killWorkerProcess, oneToolThenAnswer, startWorkerProcess, type TWorkerProcess } from "@/tests/fixtures/worker-processes";
import { startLoadBalancer, type LoadBalancer } from "@/tests/fixtures/load-balancer";
import { startScript, type ScriptProcess } from "@/tests/fixtures/script-process";
import { range, TestViewer } from "../realtime/realtime-helpers";

/**
 * The platform as a cluster, as a team would run it on one PostgreSQL and one Redis, every process
 * on its defaults (15 s harness lease; web processes run harness workers too): three web
 * processes, with no sticky sessions for the API (the SDK's every request goes to the next live one),
 * and three `npm run worker` processes, and two self-hosted hands workers (`npm run hands`, each on a
 * "machine" of its own, behind a load balancer in front of the web processes). SESSIONS sessions
 * run at once through the SDK, each one bash call, then an answer: two in three in the platform's
 * bubblewrap sandboxes, one in three in a self-hosted environment whose calls the hands workers run
 * in theirs. While the calls run, one web process, one harness worker and one hands worker are
 * killed with SIGKILL and replaced. Then: every session ended its turn with a gapless log; every
 * Socket.io viewer (re-joining another web process after losing its own, from the last seq it had)
 * and every SSE viewer (opening the stream again and reading the gap from the list, as the SDK's
 * users do) saw each event exactly once; no tool ran twice.
 *
 * The hands worker is killed between commands: once every self-hosted call has been handed out and
 * each one it took has its result posted, while it still holds those sessions' items (heartbeating,
 * waiting for their next call). A worker killed in the middle of a command keeps its item until the
 * item's lease runs out (WORK_ITEM_TTL_SECONDS, 300 s by default) and the call is then run again
 * by another worker (hands-worker.test.ts shows that, README "Self-hosted hands" says why), which
 * would not fit this test's time nor "no tool ran twice".
 */
const SESSIONS = 50;
/** Every third session is in the self-hosted environment (17 of 50). */
const isHosted = (i: number) => i % 3 === 0;
/** Sessions each hands worker serves at once (`--sessions`): the two together take every self-hosted call in one round. */
const HANDS_SLOTS = 9;
const COMMAND = "echo ran >> /workspace/runs.txt; sleep 4; echo finished";
type TEvent = { id: string; type: string; [key: string]: unknown };

const available = (await requirePostgres("the cluster test")) && (await requireRedis("the cluster test"));

describe.runIf(available)("three web processes, three workers and two hands workers on PostgreSQL and Redis, one of each killed mid-run", () => {
  let scratch: ScratchDatabase;
  let model: MessagesApiServer;
  let dataDir: string;
  let env: Record<string, string>;
  const apiKey = newSecretToken("oma_");
  const webs: AppServer[] = [];
  const dead = new Set<AppServer>();
  const workers: TWorkerProcess[] = [];
  const workerOutput: string[] = [];
  const hands: ScriptProcess[] = [];
  const handsDirs: string[] = [];
  let balancer: LoadBalancer;
  let next = 0;

  /** The live web processes, in turn: no request sticks to one. */
  const liveWebs = () => webs.filter((web) => !dead.has(web));
  const nextWeb = () => {
    const live = liveWebs();
    return live[next++ % live.length]!;
  };
  const client = new Anthropic({
    apiKey,
    baseURL: "http://cluster.invalid",
    fetch: (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      return fetch(new URL(url.pathname + url.search, nextWeb().url), init);
    },
  });

  const startWeb = async () => webs.push(await startAppServer({ env }));
  const startWorker = (name: string) => {
    const worker = startWorkerProcess({ name, output: workerOutput, env: { ...env, LOG_LEVEL: "info" } });
    workers.push(worker);
    return worker.ready;
  };
  /** `npm run hands` as an operator runs it on a machine of its own (`workdir`), with the environment's key, against the load balancer. */
  const startHands = async (environmentId: string, key: string, workdir: string) => {
    const worker = startScript("scripts/hands.ts", {
      args: ["--environment", environmentId, "--workdir", workdir, "--sessions", String(HANDS_SLOTS)],
      env: { ANTHROPIC_BASE_URL: balancer.url, ANTHROPIC_API_KEY: key },
    });
    hands.push(worker);
    await worker.waitForOutput(`hands: polling environment ${environmentId}`, 120_000);
    return worker;
  };
  const handsOutput = () => hands.map((h, i) => `[hands-${i + 1}] ${h.output().slice(-1_500)}`).join("\n");

  beforeAll(async () => {
    scratch = await createScratchDatabase("oma_cluster");
    model = await startMessagesApiServer({ respond: oneToolThenAnswer(COMMAND) });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-cluster-"));
    fs.chmodSync(dataDir, 0o711);
    env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir, // one machine: the processes share it as they would a host's data directory
      BOOTSTRAP_API_KEY: apiKey,
      NEXTAUTH_SECRET: newSecretToken("cluster_"),
      ANTHROPIC_API_KEY: "cluster-model-key",
      ANTHROPIC_BASE_URL: model.url,
    };
    await startWeb(); // the first one migrates the database; the others find it migrated
    await Promise.all([startWeb(), startWeb(), startWorker("worker-1"), startWorker("worker-2"), startWorker("worker-3")]);
    balancer = await startLoadBalancer(() => liveWebs().map((web) => web.url));
    for (const _ of [1, 2]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-cluster-hands-"));
      fs.chmodSync(dir, 0o711); // the sandbox user of a root worker passes through it
      handsDirs.push(dir);
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(hands.map((worker) => worker.stop()));
    await balancer?.close();
    for (const dir of handsDirs) fs.rmSync(dir, { recursive: true, force: true });
    await Promise.all(workers.map((worker) => killWorkerProcess(worker, "SIGTERM")));
    await Promise.all(webs.map((web) => web.stop()));
    await model?.close();
    await scratch?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("finishes every session, each viewer seeing each event once, no tool run twice", async () => {
    const agent = await client.beta.agents.create({ name: "cluster agent", model: "claude-cluster", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const environment = await client.beta.environments.create({ name: "cluster sandboxes" });
    const hosted = await client.beta.environments.create({ name: "cluster machines", config: { type: "self_hosted" } });
    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const environmentId = isHosted(i) ? hosted.id : environment.id;
      ids.push((await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId, title: `cluster ${i}` })).id);
    }
    const cloudIds = ids.filter((_, i) => !isHosted(i));
    const hostedIds = ids.filter((_, i) => isHosted(i));
    // the hands workers poll with a key of their environment, as its page tells an operator to
    const keyOutput = startScript("scripts/cli.ts", { args: ["keys", "create", "--team", "default", "--environment", hosted.id], env: { DATABASE_URL: scratch.url } });
    expect(await keyOutput.waitForExit()).toBe(0);
    const environmentKey = /oma_\S+/.exec(keyOutput.stdout())![0];
    await Promise.all(handsDirs.map((dir) => startHands(hosted.id, environmentKey, dir)));

    const sockets = ids.map((id) => new SocketWatcher(id, () => nextWeb().url, apiKey));
    await Promise.all(sockets.map((watcher) => watcher.start()));
    const streams = ids.map((id) => new StreamWatcher(id, client));
    await Promise.all(streams.map((watcher) => watcher.open()));
    const watching = streams.map((watcher) => watcher.run());

    for (const id of ids) await client.beta.sessions.events.send(id, { events: [{ type: "user.message", content: [{ type: "text", text: "run it" }] }] });

    // while a good part of the calls run: SIGKILL one web process and one worker, then replace both
    await until("a third of the commands to be running", () => cloudIds.filter((id) => runsOf(dataDir, id) > 0).length >= cloudIds.length / 3, { timeoutMs: 120_000, intervalMs: 50 });
    const [web, worker] = [webs[0]!, workers[0]!];
    dead.add(web);
    await Promise.all([web.kill(), killWorkerProcess(worker, "SIGKILL")]);
    await Promise.all([startWeb(), startWorker("worker-4")]);

    const database = new pg.Client({ connectionString: scratch.url });
    await database.connect();
    const answered = async (sessionIds: string[]) => {
      const { rows } = await database.query<{ n: string }>(`SELECT count(DISTINCT "sessionId") AS n FROM "SessionEvent" WHERE type = 'user.tool_result' AND "sessionId" = ANY($1)`, [sessionIds]);
      return Number(rows[0]!.n) === sessionIds.length;
    };
    const endedTurns = async () => {
      const { rows } = await database.query<{ n: string }>(`SELECT count(*) AS n FROM "SessionEvent" WHERE type = 'session.status_idle' AND payload->'stop_reason'->>'type' = 'end_turn'`);
      return Number(rows[0]!.n);
    };
    try {
      // SIGKILL the first hands worker between commands: every self-hosted call has been handed out
      // (started on one machine or the other), and those it took have their results posted
      const [first] = handsDirs;
      /** What a timeout says: the self-hosted commands not started, the sessions whose turn has not ended, the queue's items, those sessions' logs and harness rows, the hands workers' warnings. */
      const diagnose = async () => {
        const lines: string[] = [];
        const missing = hostedIds.filter((id) => !handsDirs.some((dir) => handsRunsOf(dir, id) > 0));
        lines.push(`not started: ${missing.join(", ")}`);
        const { rows: items } = await database.query(`SELECT id, "sessionId", state, "workerId", "polledAt", "acknowledgedAt", "latestHeartbeatAt", "leaseExpiresAt", "stoppedAt", now() AS now FROM "EnvironmentWork" WHERE "environmentId" = $1 ORDER BY "createdAt"`, [hosted.id]);
        for (const item of items) lines.push(`${missing.includes(item.sessionId) ? "MISSING " : ""}${JSON.stringify(item)}`);
        const { rows: ended } = await database.query<{ sessionId: string }>(`SELECT "sessionId" FROM "SessionEvent" WHERE type = 'session.status_idle' AND payload->'stop_reason'->>'type' = 'end_turn'`);
        const unfinished = ids.filter((id) => !ended.some((row) => row.sessionId === id));
        lines.push(`turn not ended: ${unfinished.join(", ")}`);
        for (const id of new Set([...missing, ...unfinished].slice(0, 20))) {
          const { rows: events } = await database.query(`SELECT seq, type, "createdAt" FROM "SessionEvent" WHERE "sessionId" = $1 ORDER BY seq`, [id]);
          const { rows: work } = await database.query(`SELECT * FROM "SessionWork" WHERE "sessionId" = $1`, [id]);
          lines.push(`${id}: ${events.map((e) => `${e.seq}:${e.type}`).join(" ")} | harness work ${JSON.stringify(work)}`);
        }
        for (const [i, h] of hands.entries()) lines.push(`[hands-${i + 1}] ` + h.output().split("\n").filter((l) => /warn|error|fail|lost|lease|claimed/i.test(l)).slice(-40).join("\n"));
        return lines.join("\n");
      };
      let taken: string[];
      try {
        taken = await until(
          "every self-hosted command to start, and the first hands worker's to be answered",
          async () => {
            if (!hostedIds.every((id) => handsDirs.some((dir) => handsRunsOf(dir, id) > 0))) return null;
            const mine = hostedIds.filter((id) => handsRunsOf(first!, id) > 0);
            return (await answered(mine)) ? mine : null;
          },
          { timeoutMs: 120_000, intervalMs: 100, detail: handsOutput },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await diagnose()}`);
      }
      expect(taken.length).toBeGreaterThan(0);
      // it dies holding its items: each stays with a worker a while after its session's turn (the SDK's maxIdleMs)
      const { rows: live } = await database.query<{ n: string }>(`SELECT count(*) AS n FROM "EnvironmentWork" WHERE "environmentId" = $1 AND state IN ('starting', 'active')`, [hosted.id]);
      expect(Number(live[0]!.n)).toBeGreaterThanOrEqual(taken.length);
      hands[0]!.child.kill("SIGKILL");
      await hands[0]!.exited;
      await startHands(hosted.id, environmentKey, first!); // the same machine, back
      try {
        await until("every session to end its turn", async () => (await endedTurns()) >= SESSIONS, {
          timeoutMs: 180_000,
          intervalMs: 250,
          detail: () => `${workerOutput.join("").slice(-3_000)}\n${handsOutput()}`,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await diagnose()}`);
      }
      await Promise.all(watching);
      await Promise.all(sockets.map((watcher) => watcher.waitForEnd()));

      for (const [i, id] of ids.entries()) {
        const { rows } = await database.query<{ seq: number; id: string; type: string; payload: Record<string, unknown> }>(
          `SELECT seq, id, type, payload FROM "SessionEvent" WHERE "sessionId" = $1 ORDER BY seq`,
          [id],
        );
        // a gapless log that ends its one turn once, with the model's answer
        expect(rows.map((row) => row.seq), id).toEqual(range(1, rows.length));
        const idles = rows.filter((row) => row.type === "session.status_idle" && (row.payload.stop_reason as { type: string }).type === "end_turn");
        expect(idles, id).toHaveLength(1);
        expect(rows.at(-1)!.type).toBe("session.status_idle");
        const answer = rows.findLast((row) => row.type === "agent.message")!;
        expect(JSON.stringify(answer.payload)).toContain("Done. The tool said:");
        const uses = rows.filter((row) => row.type === "agent.tool_use");
        expect(uses, id).toHaveLength(1);
        if (isHosted(i)) {
          // one call, answered once by a hands worker, run once on one machine; the platform ran nothing
          expect(rows.filter((row) => row.type === "user.tool_result" && row.payload.tool_use_id === uses[0]!.id), id).toHaveLength(1);
          expect(rows.some((row) => row.type === "agent.tool_result"), id).toBe(false);
          expect(handsDirs.reduce((sum, dir) => sum + handsRunsOf(dir, id), 0), id).toBe(1);
        } else {
          // one call, answered once, run at most once (a call a killed process had started is reported, not run again)
          expect(rows.filter((row) => row.type === "agent.tool_result" && row.payload.tool_use_id === uses[0]!.id), id).toHaveLength(1);
          expect(runsOf(dataDir, id), id).toBeLessThanOrEqual(1);
        }

        // the Socket.io viewer (an API key's: the wire events, not the internal ones): every seq, once, in order, across the web processes it was on
        expect(sockets[i]!.seqs(), id).toEqual(rows.filter((row) => !INTERNAL_EVENT_TYPES.includes(row.type as TEventType)).map((row) => row.seq));
        // the SSE viewer: every wire event (internal ones are not on the wire), once; no stream repeated one
        const wire = await listAll(client, id);
        expect(streams[i]!.ids, id).toEqual(expect.arrayContaining(wire.map((event) => event.id)));
        expect(streams[i]!.ids, id).toHaveLength(wire.length);
        expect(streams[i]!.repeated, id).toBe(0);
      }
      // the kill happened mid-run: some sessions lost their web process's viewers or their harness and went on elsewhere
      expect(sockets.filter((watcher) => watcher.joins > 1).length).toBeGreaterThan(0);
      expect(streams.filter((watcher) => watcher.connections > 1).length).toBeGreaterThan(0);
      expect(cloudIds.reduce((sum, id) => sum + runsOf(dataDir, id), 0)).toBeGreaterThanOrEqual(cloudIds.length - 10);
      // both machines served sessions; the one killed held some of them when it died
      expect(hostedIds.filter((id) => handsRunsOf(handsDirs[1]!, id) > 0).length).toBeGreaterThan(0);
    } finally {
      await database.end();
      sockets.forEach((watcher) => watcher.close());
    }
  }, 420_000);
});

/** Lines `ran` in the session's sandbox workspaces under DATA_DIR/sandboxes: how often its command started. */
function runsOf(dataDir: string, sessionId: string): number {
  const root = path.join(dataDir, "sandboxes");
  let runs = 0;
  for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (!name.startsWith(`${sessionId}-`)) continue;
    try {
      runs += fs.readFileSync(path.join(root, name, "runs.txt"), "utf8").split("\n").filter((line) => line === "ran").length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return runs;
}

/** Lines `ran` in the session's workspace on a hands worker's machine (`<workdir>/<session id>`). */
function handsRunsOf(workdir: string, sessionId: string): number {
  try {
    return fs.readFileSync(path.join(workdir, sessionId, "runs.txt"), "utf8").split("\n").filter((line) => line === "ran").length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

async function listAll(client: Anthropic, sessionId: string): Promise<TEvent[]> {
  const all: TEvent[] = [];
  for await (const event of client.beta.sessions.events.list(sessionId, { limit: 1000 })) all.push(event as unknown as TEvent);
  return all;
}

const endsTurn = (event: TEvent) => event.type === "session.status_idle" && (event.stop_reason as { type: string } | undefined)?.type === "end_turn";

/**
 * A Socket.io viewer of one session that, when its web process goes away, joins again on another
 * one from the last seq it has: what the web app's live view does.
 */
class SocketWatcher {
  private viewer: TestViewer | null = null;
  private readonly got: number[] = [];
  private ended = false;
  joins = 0;

  constructor(
    private readonly sessionId: string,
    private readonly nextUrl: () => string,
    private readonly apiKey: string,
  ) {}

  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 20) throw new Error(`the Socket.io viewer of ${this.sessionId} could not join on any web process`);
      const viewer = new TestViewer(this.nextUrl(), this.apiKey);
      this.viewer = viewer;
      const after = this.got.at(-1) ?? 0;
      viewer.socket.on("session:events", (payload: { events: (TEvent & { seq: number })[] }) => {
        for (const event of payload.events) {
          this.got.push(event.seq);
          if (endsTurn(event)) this.ended = true;
        }
      });
      viewer.socket.on("disconnect", () => {
        if (!this.ended && this.viewer === viewer) void this.start();
      });
      try {
        const ack = await viewer.join(this.sessionId, after);
        if (ack.ok) {
          this.joins++;
          return;
        }
      } catch {
        // the process went away during the join: try the next one
      }
      viewer.close();
    }
  }

  seqs(): number[] {
    return this.got;
  }

  waitForEnd(): Promise<unknown> {
    return until(`the Socket.io viewer of ${this.sessionId} to see the end of the turn`, () => this.ended, { timeoutMs: 60_000, intervalMs: 50 });
  }

  close(): void {
    this.ended = true;
    this.viewer?.close();
  }
}

/**
 * An SSE viewer of one session through the SDK: when its stream breaks, it opens a new one and
 * reads what it missed from the list, skipping what it has (by id), as the SDK's users do.
 */
class StreamWatcher {
  readonly ids: string[] = [];
  private readonly seen = new Set<string>();
  private stream: AsyncIterable<TEvent> | null = null;
  private ended = false;
  connections = 0;
  /** Events a single stream sent twice (none may be). */
  repeated = 0;

  constructor(
    private readonly sessionId: string,
    private readonly client: Anthropic,
  ) {}

  async open(): Promise<void> {
    this.stream = (await this.client.beta.sessions.events.stream(this.sessionId)) as unknown as AsyncIterable<TEvent>;
    this.connections++;
  }

  private take(event: TEvent): void {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    this.ids.push(event.id);
    if (endsTurn(event)) this.ended = true;
  }

  /** Reads the list (what was committed before this stream opened), then the stream; again on a new stream when it breaks. */
  async run(): Promise<void> {
    for (;;) {
      for (const event of await listAll(this.client, this.sessionId)) this.take(event);
      if (this.ended) return;
      const inThisStream = new Set<string>();
      try {
        for await (const event of this.stream!) {
          if (inThisStream.has(event.id)) this.repeated++;
          inThisStream.add(event.id);
          this.take(event);
          if (this.ended) return;
        }
      } catch {
        // the web process serving the stream went away
      }
      await this.open();
    }
  }
}
