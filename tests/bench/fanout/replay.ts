/**
 * Loading a long session for replay: a session of REPLAY_EVENTS events, then
 * (a) the server time to produce the replay data: `GET /replay/<token>` when the replay page exists,
 *     and always `GET /v1/sessions/{id}/events?limit=1000` paged to the end (what any client
 *     reading the whole log does);
 * (b) in Debian's Chromium through Playwright (a fresh browser context each run: no cache), the
 *     time from navigation to two moments of the player's timeline (a windowed list whose items
 *     carry `aria-posinset` / `aria-setsize`): its first item visible (the server-rendered HTML is
 *     painted), then the moment every page of the log has arrived and been folded (the player's
 *     page-loading status is gone: the whole replay can be scrubbed).
 *
 * The session's events are real ones: a template session first runs two turns through server A's
 * harness (one with a `bash` tool call in the local sandbox, one plain answer); its logged events
 * are then appended again and again, 1000 per append, straight into the database through
 * `PrismaSessionStore`, until the session holds REPLAY_EVENTS events. Ids an event refers to (a tool
 * result's `tool_use_id`) are rewritten to the copy's own.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { ROOT } from "@/scripts/build-reason";
import { CHROMIUM, CHROMIUM_ARGS } from "@/tests/fixtures/browser";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { MAX_EVENTS_PER_APPEND } from "@/lib/event-log/session-store";
import { percentile, timed } from "../stats";
import { api, listEvents, untilIdle, userMessage, type TEventPage, type TServers, type TWireEvent } from "./servers";

export const REPLAY_EVENTS = Number(process.env.BENCH_FANOUT_REPLAY_EVENTS ?? 10_000);
const LOAD_RUNS = Number(process.env.BENCH_FANOUT_REPLAY_RUNS ?? 5);
const SHARE_LINK_MODULE = join(ROOT, "lib", "share", "create-share-link.ts");

export type TTimes = { runs: number; first: number; p50: number; max: number };
export type TLoad = TTimes & { what: string; bytes: number; requests: number };
export type TReplay = {
  events: number;
  seedSeconds: number;
  loads: TLoad[];
  /** Where the replay page was found, or null. */
  page: string | null;
  /** Browser time to the rendered player, or why there is no figure. */
  browser: { firstItem: TTimes; lastItem: TTimes } | { pending: string };
};

const times = (first: number, ms: number[]): TTimes => ({ runs: ms.length, first, p50: percentile(ms, 50), max: Math.max(...ms) });

/** The events of a session that ran two real turns (one with a tool call) on server A. */
async function templateSession(servers: TServers): Promise<{ events: TWireEvent[]; agentId: string; environmentId: string }> {
  const { a, apiKey } = servers;
  const agent = await api<{ id: string }>(a, apiKey, "POST", "/v1/agents", {
    name: "replay agent",
    model: "claude-bench",
    system: "Answer briefly.",
    tools: [{ type: "agent_toolset_20260401" }],
  });
  const environment = await api<{ id: string }>(a, apiKey, "POST", "/v1/environments", { name: "replay environment" });
  const session = await api<{ id: string }>(a, apiKey, "POST", "/v1/sessions", { agent: agent.id, environment_id: environment.id });
  const prose = "The report lists every service, its owner, the last deploy and the open incidents; ".repeat(4);
  for (const text of [`Please use a tool to check the workspace. ${prose}`, `Thanks. Now summarise it in one line. ${prose}`]) {
    await api(a, apiKey, "POST", `/v1/sessions/${session.id}/events`, userMessage(text));
    await untilIdle(a, apiKey, session.id);
  }
  return { events: await listEvents(a, apiKey, session.id), agentId: agent.id, environmentId: environment.id };
}

/** Appends copies of `template` to `sessionId` until it holds `total` events. */
async function fill(db: Database, sessionId: string, template: TWireEvent[], total: number): Promise<void> {
  const store = new PrismaSessionStore(db.prisma);
  const bodies = template.map(({ id: _id, processed_at: _at, ...body }) => JSON.stringify(body));
  const refersTo = bodies.map((json, i) => template.flatMap((t, j) => (j !== i && json.includes(t.id) ? [j] : [])));
  const current = new Map<string, string>(); // template id → id of its latest copy
  let pending: number[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.map((i) => JSON.parse(refersTo[i]!.reduce((json, j) => json.replaceAll(template[j]!.id, current.get(template[j]!.id)!), bodies[i]!)));
    const { events } = await store.appendEvents(sessionId, batch);
    events.forEach((e, k) => current.set(template[pending[k]!]!.id, e.id));
    pending = [];
  };
  for (let n = 0; n < total; n++) {
    const i = n % template.length;
    // an event referring to one not yet appended waits for it to be, so it can carry its new id
    if (refersTo[i]!.some((j) => pending.includes(j)) || pending.length === MAX_EVENTS_PER_APPEND) await flush();
    pending.push(i);
  }
  await flush();
}

/** The replay page's file under app/ (any route group), or null. */
function findReplayPage(dir = join(ROOT, "app")): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === "replay") {
      const page = readdirSync(path, { recursive: true, encoding: "utf8" }).find((f) => /(^|\/)page\.tsx?$/.test(f));
      if (page) return join(path, page).slice(ROOT.length);
    }
    const found = findReplayPage(path);
    if (found) return found;
  }
  return null;
}

/** The replay page's path for the session: a new share link, made by the project's own code. */
async function createReplayPath(db: Database, sessionId: string): Promise<string> {
  if (!existsSync(SHARE_LINK_MODULE)) throw new Error("lib/share/create-share-link.ts does not exist");
  type TCreate = (deps: { prisma: Database["prisma"] }, options: { teamId: string; sessionId: string; createdBy: string | null }) => Promise<{ path: string }>;
  const { createShareLink } = (await import(SHARE_LINK_MODULE)) as { createShareLink: TCreate };
  const { teamId } = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { teamId: true } });
  return (await createShareLink({ prisma: db.prisma }, { teamId, sessionId, createdBy: null })).path;
}

/** `fetchAll` LOAD_RUNS + 1 times: the first run, then the distribution of the others. */
async function measureLoad(what: string, fetchAll: () => Promise<{ bytes: number; requests: number }>): Promise<TLoad> {
  const [first, firstMs] = await timed(fetchAll);
  const ms: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run++) ms.push((await timed(fetchAll))[1]);
  return { what, ...times(firstMs, ms), ...first };
}

async function getText(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text;
}

/** Whether Chromium starts under Playwright here: its version, or why not. */
async function chromiumCheck(): Promise<string> {
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    const version = browser.version();
    await browser.close();
    return `Chromium ${version} starts under Playwright`;
  } catch (error) {
    return `Chromium at ${CHROMIUM} is not usable: ${(error as Error).message.split("\n")[0]}`;
  }
}

/**
 * Runs in the page before its own scripts: at every frame, notes the time (ms since navigation
 * start) at which the timeline's first item is visible, then at which the page-loading status
 * (rendered from the server while more pages are to come) is gone.
 * Plain JavaScript in a string: a function would be passed as its transpiled source.
 */
const RECORD_TIMELINE_MARKS = `(() => {
  const marks = (window.timelineMarks = {});
  const visible = (li) => {
    const box = li && li.getBoundingClientRect();
    return !!box && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  };
  const check = () => {
    const items = [...document.querySelectorAll("li[aria-posinset][aria-setsize]")];
    if (marks.first === undefined && visible(items.find((li) => li.getAttribute("aria-posinset") === "1"))) marks.first = performance.now();
    // the whole log is in once the player's page-loading status, shown while pages arrive, is gone
    const loading = document.querySelector('[data-testid="replay-loading"]') !== null;
    if (loading) marks.sawLoading = true;
    if (marks.sawLoading && !loading) marks.last = performance.now();
    if (marks.last === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function browserRuns(url: string): Promise<{ firstItem: TTimes; lastItem: TTimes }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const once = async () => {
      const context = await browser.newContext(); // nothing cached
      await context.addInitScript({ content: RECORD_TIMELINE_MARKS });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
      const marks = await page.waitForFunction("window.timelineMarks.last !== undefined && window.timelineMarks", null, { timeout: 60_000 });
      const { first, last } = (await marks.jsonValue()) as { first?: number; last: number };
      await context.close();
      return { firstItem: first ?? last, lastItem: last };
    };
    const first = await once();
    const runs: Array<{ firstItem: number; lastItem: number }> = [];
    for (let run = 0; run < LOAD_RUNS; run++) runs.push(await once());
    return {
      firstItem: times(first.firstItem, runs.map((r) => r.firstItem)),
      lastItem: times(first.lastItem, runs.map((r) => r.lastItem)),
    };
  } finally {
    await browser.close();
  }
}

export async function benchReplay(servers: TServers, log: (line: string) => void): Promise<TReplay> {
  const { a, apiKey } = servers;
  const db = await openDatabase({ kind: "postgres", url: servers.databaseUrl, poolSize: 2 }, { migrate: false });
  try {
    const start = performance.now();
    const { events: template, agentId, environmentId } = await templateSession(servers);
    const session = await api<{ id: string }>(a, apiKey, "POST", "/v1/sessions", { agent: agentId, environment_id: environmentId });
    const toolResult = template.find((e) => e.type === "agent.tool_result");
    const tool = toolResult ? (toolResult.is_error ? "the bash call failed" : "the bash call ran") : "no tool call";
    log(`template: ${template.length} events (${[...new Set(template.map((e) => e.type))].join(", ")}; ${tool}); appending ${REPLAY_EVENTS.toLocaleString("en")}…`);
    await fill(db, session.id, template, REPLAY_EVENTS);
    const seedSeconds = (performance.now() - start) / 1000;

    const headers = { "x-api-key": apiKey };
    const pageThrough = async () => {
      let bytes = 0;
      let requests = 0;
      let page: string | null = null;
      do {
        const text = await getText(`${a.url}/v1/sessions/${session.id}/events?limit=1000${page ? `&page=${encodeURIComponent(page)}` : ""}`, headers);
        bytes += Buffer.byteLength(text);
        requests += 1;
        page = (JSON.parse(text) as TEventPage).next_page;
      } while (page);
      return { bytes, requests };
    };
    const listed = await listEvents(a, apiKey, session.id);
    let lastToolUse: string | undefined;
    let misreferenced = 0; // a tool result must answer the tool use just before it, in its own copy
    for (const e of listed) {
      if (e.type === "agent.tool_use") lastToolUse = e.id;
      if (e.type === "agent.tool_result" && e.tool_use_id !== lastToolUse) misreferenced += 1;
    }
    if (misreferenced > 0) log(`WARNING: ${misreferenced} tool results refer to another copy's tool use`);
    const loads = [await measureLoad("GET /v1/sessions/{id}/events?limit=1000, paged to the end", pageThrough)];

    const page = findReplayPage();
    let browser: TReplay["browser"];
    if (!page) {
      browser = { pending: `pending: there is no replay page under app/ yet (${await chromiumCheck()})` };
    } else {
      try {
        const url = `${a.url}${await createReplayPath(db, session.id)}`;
        loads.push(await measureLoad("GET /replay/<token> (the page's HTML)", async () => ({ bytes: Buffer.byteLength(await getText(url)), requests: 1 })));
        browser = await browserRuns(url);
      } catch (error) {
        browser = { pending: `not measured: ${(error as Error).message.split("\n")[0]} (see createReplayPath and RECORD_TIMELINE_MARKS in tests/bench/fanout/replay.ts)` };
      }
    }
    return { events: listed.length, seedSeconds, loads, page, browser };
  } finally {
    await db.close();
  }
}
