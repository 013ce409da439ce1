import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { startScript, type ScriptProcess } from "@/tests/fixtures/script-process";
import { failure, listAllEvents, untilTurnEnds, type TLoggedEvent as TEvent } from "@/tests/fixtures/sdk-client";

/**
 * Several hands per session (README, "Several hands per session"): a session whose primary
 * environment is a cloud one (the platform's local bubblewrap sandbox) and which also uses a
 * self-hosted one, named `laptop`, whose calls the official SDK's own environment worker answers
 * (`npm run hands`, a separate process). The agent's toolset routes `bash` to the laptop; `read`
 * and `write` run in the primary. Each call runs where its tool says, the events name it, and the
 * worker sees and answers only its own environment's calls.
 */
const available = await requirePostgres("the two-environments suite");


describe.runIf(available)("a session with a cloud and a self-hosted environment", () => {
  let api: MessagesApiServer;
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let workdir: string;
  let hands: ScriptProcess | undefined;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 1 });
    app = await startAppServer({ database: "postgres", env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "other-team", name: "Other" });
    const { key } = await createApiKey(db.prisma, { teamId: team.id, name: "test" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: key, baseURL: app.url, maxRetries: 0 });
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-two-hands-"));
    fs.chmodSync(workdir, 0o711);
  });
  afterAll(async () => {
    await hands?.stop();
    await db?.close();
    await app?.stop();
    await api?.close();
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  const textOf = (event: TEvent | undefined) => ((event?.content as { type: string; text: string }[] | undefined) ?? []).map((b) => b.text).join("");
  const toolset = (bash: string) => ({ type: "agent_toolset_20260401", configs: [{ name: "bash", environment: bash }] });

  it("runs each call in the environment its tool names, the events say which, and the worker answers only its own", async () => {
    const cloud = await client.beta.environments.create({ name: "cloud primary" });
    const laptop = await client.beta.environments.create({ name: "my laptop", config: { type: "self_hosted" } });
    const agent = await client.beta.agents.create({ name: "two hands", model: "claude-sdk-test", tools: [toolset("laptop")] } as never);
    expect((agent.tools[0] as unknown as { configs: { name: string; environment?: string }[] }).configs[0]).toMatchObject({ name: "bash", environment: "laptop" });
    const session = await client.beta.sessions.create({
      agent: agent.id,
      environment_id: cloud.id,
      additional_environments: [{ environment_id: laptop.id, name: "laptop" }],
    } as never);
    const retrieved = (await client.beta.sessions.retrieve(session.id)) as unknown as { environment_id: string; additional_environments: unknown };
    expect(retrieved.environment_id).toBe(cloud.id);
    expect(retrieved.additional_environments).toEqual([{ environment_id: laptop.id, name: "laptop" }]);

    hands = startScript("scripts/hands.ts", {
      args: ["--environment", laptop.id, "--workdir", workdir, "--max-idle-ms", "2000"],
      env: { ANTHROPIC_BASE_URL: app.url, ANTHROPIC_API_KEY: app.apiKey },
    });
    await hands.waitForOutput(`hands: polling environment ${laptop.id}`);

    api.enqueue(
      // one response, two hands: `write` in the cloud sandbox, `bash` on the laptop
      {
        content: [
          { type: "tool_use", name: "write", input: { file_path: "/workspace/cloud.txt", content: "from the cloud" } },
          { type: "tool_use", name: "bash", input: { command: "echo from the laptop > laptop.txt; test -e cloud.txt && echo shared || echo apart" } },
        ],
      },
      { content: [{ type: "tool_use", name: "read", input: { file_path: "/workspace/cloud.txt" } }] },
      { content: [{ type: "text", text: "Both hands worked." }] },
    );
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "use both" }] }] });

    const events = await untilTurnEnds(client, session.id, { detail: () => hands!.output() });

    const uses = events.filter((e) => e.type === "agent.tool_use");
    expect(uses.map((e) => [e.name, e.environment_id])).toEqual([
      ["write", cloud.id],
      ["bash", laptop.id],
      ["read", cloud.id],
    ]);
    const [write, bash, read] = uses;
    const resultOf = (use: TEvent) => events.filter((e) => (e.type === "agent.tool_result" || e.type === "user.tool_result") && e.tool_use_id === use.id);
    // the platform ran the cloud's calls, the worker the laptop's: one result each, naming where it ran
    expect(resultOf(write!)).toEqual([expect.objectContaining({ type: "agent.tool_result", is_error: false, environment_id: cloud.id })]);
    expect(resultOf(read!)).toEqual([expect.objectContaining({ type: "agent.tool_result", is_error: false, environment_id: cloud.id })]);
    expect(resultOf(bash!)).toEqual([expect.objectContaining({ type: "user.tool_result", is_error: false, environment_id: laptop.id })]);
    expect(textOf(resultOf(read!)[0])).toContain("from the cloud");
    // two machines: the laptop's workspace has its file and not the cloud's
    expect(textOf(resultOf(bash!)[0])).toBe("apart");
    expect(fs.readFileSync(path.join(workdir, session.id, "laptop.txt"), "utf8")).toBe("from the laptop\n");
    expect(fs.existsSync(path.join(workdir, session.id, "cloud.txt"))).toBe(false);
    // the session waited for the laptop's call only
    const waits = events.filter((e) => e.type === "session.status_idle" && (e.stop_reason as { type: string }).type === "requires_action");
    expect(waits.map((e) => (e.stop_reason as { event_ids: string[] }).event_ids)).toEqual([[bash!.id]]);
    expect(textOf(events.findLast((e) => e.type === "agent.message"))).toBe("Both hands worked.");
    // one work item, in the laptop's queue
    const items = (await client.beta.environments.work.list(laptop.id)).data;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ data: { type: "session", id: session.id } });
  }, 180_000);

  it("refuses additional environments that are repeated, archived, another team's or that an agent's tool names wrongly (4xx naming the field), and creates nothing", async () => {
    const primary = await client.beta.environments.create({ name: "primary" });
    const other = await client.beta.environments.create({ name: "other", config: { type: "self_hosted" } });
    const archived = await client.beta.environments.create({ name: "archived" });
    await client.beta.environments.archive(archived.id);
    const foreign = await stranger.beta.environments.create({ name: "theirs" });
    const plain = await client.beta.agents.create({ name: "plain", model: "claude-sdk-test", tools: [{ type: "agent_toolset_20260401" }] } as never);
    const routed = await client.beta.agents.create({ name: "routed", model: "claude-sdk-test", tools: [toolset("nowhere")] } as never);
    const before = await db.prisma.session.count();
    const create = (agent: string, additional: unknown) => failure(client.beta.sessions.create({ agent, environment_id: primary.id, additional_environments: additional } as never));

    const cases: [string, unknown, number, string][] = [
      [plain.id, [{ environment_id: primary.id }], 400, "additional_environments[0].environment_id"],
      [plain.id, [{ environment_id: other.id }, { environment_id: other.id }], 400, "additional_environments[1].environment_id"],
      [plain.id, [{ environment_id: archived.id }], 400, "additional_environments[0].environment_id"],
      [plain.id, [{ environment_id: foreign.id }], 404, "additional_environments[0].environment_id"],
      [plain.id, [{ environment_id: other.id, name: "has space" }], 400, "additional_environments[0].name"],
      [plain.id, [{ environment_id: other.id, extra: 1 }], 400, "additional_environments[0]"],
      [routed.id, [{ environment_id: other.id, name: "laptop" }], 400, "agent.tools[0].configs[0].environment"],
    ];
    for (const [agent, additional, status, field] of cases) {
      const error = await create(agent, additional);
      expect(error.status, JSON.stringify(additional)).toBe(status);
      expect(JSON.stringify(error.error)).toContain(field);
    }
    // the agent's tool may name the environment by its id as well
    const byId = await client.beta.agents.create({ name: "by id", model: "claude-sdk-test", tools: [toolset(other.id)] } as never);
    const ok = await client.beta.sessions.create({ agent: byId.id, environment_id: primary.id, additional_environments: [{ environment_id: other.id }] } as never);
    expect(await db.prisma.session.count()).toBe(before + 1);
    // a session of one environment reads as before: no additional_environments field
    const single = await client.beta.sessions.create({ agent: plain.id, environment_id: primary.id });
    expect(Object.keys(single)).not.toContain("additional_environments");
    expect(Object.keys(await client.beta.sessions.retrieve(ok.id))).toContain("additional_environments");
    // an environment a session uses beside its primary cannot be deleted
    expect((await failure(client.beta.environments.delete(other.id))).status).toBe(409);
    // the agent's environment field is checked like the rest of the toolset
    expect((await failure(client.beta.agents.create({ name: "bad", model: "claude-sdk-test", tools: [toolset("no spaces allowed")] } as never))).status).toBe(400);
  }, 60_000);
});
