import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { enqueueSessionWork } from "@/lib/environments/work/enqueue-session-work";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { collect } from "@/tests/fixtures/sdk-client";
import { until } from "@/tests/fixtures/wait";

/**
 * Skills through the official SDK against the real server on PostgreSQL, with the real local
 * sandbox and a scripted model: a folder with a SKILL.md and a script uploaded as versions, listed,
 * read and deleted; an agent that names it; a session whose sandbox has it under
 * /workspace/.skills/<name>/ and whose system prompt lists its description; bad uploads refused
 * with a 400 naming the field, nothing written; another team's skills answered 404.
 */
const available = await requirePostgres("the skills suite");

type TApiError = InstanceType<typeof Anthropic.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TApiError);
const message = (error: TApiError | null) => ((error?.error as { error?: { message?: string } } | undefined)?.error?.message ?? "") as string;

const skillMd = (name: string, description: string) => `---\nname: ${name}\ndescription: ${description}\n---\n# ${name}\nRun scripts/hello.sh.\n`;
const folder = (entries: Record<string, string>) => Promise.all(Object.entries(entries).map(([path, text]) => toFile(Buffer.from(text), path)));

describe.runIf(available)("skills through the official SDK", () => {
  let api: MessagesApiServer;
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;

  beforeAll(async () => {
    api = await startMessagesApiServer({ interChunkDelayMs: 1 });
    app = await startAppServer({ database: "postgres", env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: api.url, SKILLS_MAX_BYTES: "65536" } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "skill-strangers", name: "Strangers" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    await app?.stop();
    await api?.close();
  });

  it("uploads a skill and its versions, lists, reads and deletes them; an agent's session has it in its sandbox and system prompt", async () => {
    const skill = await client.beta.skills.create({
      display_name: "Greeter",
      files: await folder({ "greeter/SKILL.md": skillMd("greeter", "Greets people in their language."), "greeter/scripts/hello.sh": "echo hello from the skill\n" }),
    });
    expect(skill).toEqual({
      id: expect.stringMatching(/^skill_[0-9A-Z]{26}$/),
      type: "skill",
      display_name: "Greeter",
      latest_version_id: expect.stringMatching(/^skillver_/),
      source: { type: "custom" },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const first = await client.beta.skills.versions.retrieve("latest", { skill_id: skill.id });
    expect(first).toEqual({ id: skill.latest_version_id, type: "skill_version", skill_id: skill.id, name: "greeter", description: "Greets people in their language.", created_at: expect.any(String) });

    const second = await client.beta.skills.versions.create(skill.id, {
      files: await folder({ "greeter/SKILL.md": skillMd("greeter", "Greets people warmly, in their language."), "greeter/scripts/hello.sh": "echo hello again\n" }),
    });
    expect((await client.beta.skills.retrieve(skill.id)).latest_version_id).toBe(second.id);
    expect((await collect(client.beta.skills.versions.list(skill.id))).map((v) => v.id)).toEqual([second.id, first.id]);
    expect((await collect(client.beta.skills.list())).map((s) => s.id)).toContain(skill.id);
    expect(await collect(client.beta.skills.list({ source: "anthropic" }))).toEqual([]);

    // a version downloads as a tar archive of its folder, as tar extracts it
    const archive = Buffer.from(await (await client.beta.skills.versions.download(first.id, { skill_id: skill.id })).arrayBuffer());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skill-tar-"));
    try {
      fs.writeFileSync(path.join(dir, "greeter.tar"), archive);
      execFileSync("tar", ["-xf", "greeter.tar"], { cwd: dir });
      expect(fs.readFileSync(path.join(dir, "greeter/scripts/hello.sh"), "utf8")).toBe("echo hello from the skill\n");
      expect(fs.statSync(path.join(dir, "greeter/scripts/hello.sh")).mode & 0o111).not.toBe(0);
      expect(fs.readFileSync(path.join(dir, "greeter/SKILL.md"), "utf8")).toBe(skillMd("greeter", "Greets people in their language."));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // a version of its own can go; the latest moves back to the one before
    const third = await client.beta.skills.versions.create(skill.id, { files: await folder({ "greeter/SKILL.md": skillMd("greeter", "Third.") }) });
    expect(await client.beta.skills.versions.delete(third.id, { skill_id: skill.id })).toEqual({ id: third.id, type: "skill_version_deleted" });
    expect((await client.beta.skills.retrieve(skill.id)).latest_version_id).toBe(second.id);

    // an agent names the skill, pinned to its first version; a missing version or skill is refused
    const badVersion = await failure(client.beta.agents.create({ name: "x", model: "m", skills: [{ type: "custom", skill_id: skill.id, version: "skillver_00000000000000000000000000" }] }));
    expect([badVersion?.status, message(badVersion)]).toEqual([400, expect.stringMatching(/^skills\[0\]\.version: /)]);
    const agent = await client.beta.agents.create({
      name: "greeting agent",
      model: "claude-skill-test",
      system: "You greet.",
      tools: [{ type: "agent_toolset_20260401" }],
      skills: [{ type: "custom", skill_id: skill.id, version: first.id }],
    });
    expect(agent.skills).toEqual([{ type: "custom", skill_id: skill.id, version: first.id }]);

    const environmentId = (await client.beta.environments.create({ name: "skills env" })).id;
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environmentId });
    api.enqueue({ content: [{ type: "tool_use", name: "bash", input: { command: "cat /workspace/.skills/greeter/SKILL.md && bash /workspace/.skills/greeter/scripts/hello.sh" } }] }, { content: [{ type: "text", text: "Done." }] });
    const before = api.requests.length;
    await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "greet me" }] }] });
    let events: Array<{ type: string; [key: string]: unknown }> = [];
    await until("the session idle", async () => {
      events = (await collect(client.beta.sessions.events.list(session.id, { limit: 100 }))) as never;
      return events.at(-1)?.type === "session.status_idle";
    }, { timeoutMs: 120_000 });
    const result = events.find((e) => e.type === "agent.tool_result") as { content: Array<{ text: string }> } | undefined;
    const output = result?.content.map((b) => b.text).join("") ?? "";
    expect(output).toContain("description: Greets people in their language."); // the pinned first version
    expect(output).toContain("hello from the skill");
    const system = JSON.stringify(api.requests[before]!.body!.system);
    expect(system).toContain("You greet.");
    expect(system).toContain("greeter: Greets people in their language. (/workspace/.skills/greeter/SKILL.md)");

    // a session pins the latest version when the agent names none; per-session skills are checked like an agent's
    const pinned = await client.beta.sessions.create({ agent: { type: "agent_with_overrides", id: agent.id, skills: [{ type: "custom", skill_id: skill.id }] }, environment_id: environmentId });
    expect(pinned.agent.skills).toEqual([{ type: "custom", skill_id: skill.id, version: second.id }]);
    const unknown = await failure(
      client.beta.sessions.create({ agent: { type: "agent_with_overrides", id: agent.id, skills: [{ type: "custom", skill_id: "skill_00000000000000000000000000" }] }, environment_id: environmentId }),
    );
    expect([unknown?.status, message(unknown)]).toEqual([400, expect.stringMatching(/^agent\.skills\[0\]\.skill_id: no skill/)]);

    // a self-hosted environment's worker reads its session's skills with the work item's token, and no others
    const selfHosted = (await client.beta.environments.create({ name: "my machines", config: { type: "self_hosted" } })).id;
    const remote = await client.beta.sessions.create({ agent: agent.id, environment_id: selfHosted });
    const workId = await enqueueSessionWork({ prisma: db.prisma }, { sessionId: remote.id });
    const item = await client.beta.environments.work.poll(selfHosted, { block_ms: 999 });
    expect(item?.id).toBe(workId);
    const token = (JSON.parse(Buffer.from(item!.secret!, "base64url").toString("utf8")) as { sessions_token: string }).sessions_token;
    const worker = new Anthropic({ apiKey: token, baseURL: app.url, maxRetries: 0 });
    expect((await worker.beta.skills.versions.retrieve(first.id, { skill_id: skill.id })).name).toBe("greeter");
    expect((await worker.beta.skills.versions.download(first.id, { skill_id: skill.id })).status).toBe(200);
    const unrelated = await client.beta.skills.create({ files: await folder({ "unrelated/SKILL.md": skillMd("unrelated", "d") }) });
    expect((await failure(worker.beta.skills.versions.retrieve("latest", { skill_id: unrelated.id })))?.status).toBe(403);
    expect((await failure(worker.beta.skills.versions.download(unrelated.latest_version_id, { skill_id: unrelated.id })))?.status).toBe(403);
    expect((await failure(worker.beta.skills.list()))?.status).toBe(401);

    // deleting the skill deletes its versions
    expect(await client.beta.skills.delete(skill.id)).toEqual({ id: skill.id, type: "skill_deleted" });
    expect((await failure(client.beta.skills.retrieve(skill.id)))?.status).toBe(404);
    expect(await db.prisma.skillVersion.count({ where: { skillId: skill.id } })).toBe(0);
  }, 180_000);

  it("refuses bad uploads with a 400 naming the field, and writes nothing", async () => {
    const before = await db.prisma.skill.count();
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ["no SKILL.md", async () => client.beta.skills.create({ files: await folder({ "tool/run.sh": "echo" }) }), /^files: no SKILL.md/],
      ["..", async () => client.beta.skills.create({ files: await folder({ "tool/SKILL.md": skillMd("tool", "d"), "tool/../../x.sh": "echo" }) }), /^files\[1\]: .*"\.\."/],
      ["absolute", async () => client.beta.skills.create({ files: await folder({ "/tool/SKILL.md": skillMd("tool", "d") }) }), /^files\[0\]: .* is absolute/],
      ["NUL", async () => client.beta.skills.create({ files: await folder({ "tool/SKILL.md": skillMd("tool", "d"), "tool/a\u0000b": "x" }) }), /^files\[1\]: the path contains a NUL/],
      ["long name", async () => client.beta.skills.create({ files: await folder({ "tool/SKILL.md": skillMd("t".repeat(65), "d") }) }), /^name: longer than 64/],
      ["long display_name", async () => client.beta.skills.create({ display_name: "d".repeat(256), files: await folder({ "tool/SKILL.md": skillMd("tool", "d") }) }), /^display_name: longer than 255/],
      ["no description", async () => client.beta.skills.create({ files: await folder({ "tool/SKILL.md": "---\nname: tool\n---\n" }) }), /^description: /],
    ];
    for (const [name, attempt, expected] of cases) {
      const error = await failure(attempt());
      expect([name, error?.status, message(error)]).toEqual([name, 400, expect.stringMatching(expected)]);
    }
    const tooLarge = await failure(client.beta.skills.create({ files: await folder({ "big/SKILL.md": skillMd("big", "d"), "big/data.txt": "x".repeat(70_000) }) }));
    expect([tooLarge?.status, message(tooLarge)]).toEqual([413, expect.stringMatching(/^files\[1\]: the skill is larger than this server's limit of 65536 bytes/)]);
    expect(await db.prisma.skill.count()).toBe(before);

    // a new version must keep the skill's name
    const skill = await client.beta.skills.create({ files: await folder({ "fixed/SKILL.md": skillMd("fixed", "d") }) });
    const renamed = await failure(client.beta.skills.versions.create(skill.id, { files: await folder({ "other/SKILL.md": skillMd("other", "d") }) }));
    expect([renamed?.status, message(renamed)]).toEqual([400, expect.stringMatching(/^name: /)]);
    const twice = await failure(client.beta.skills.create({ files: await folder({ "fixed/SKILL.md": skillMd("fixed", "d") }) }));
    expect(twice?.status).toBe(409);
    expect((await collect(client.beta.skills.versions.list(skill.id))).length).toBe(1);
  }, 120_000);

  it("answers 404 for another team's skills and versions, and refuses them in an agent", async () => {
    const skill = await client.beta.skills.create({ files: await folder({ "private/SKILL.md": skillMd("private", "mine") }) });
    const attempts: [string, () => Promise<unknown>][] = [
      ["retrieve", () => stranger.beta.skills.retrieve(skill.id)],
      ["delete", () => stranger.beta.skills.delete(skill.id)],
      ["list versions", () => stranger.beta.skills.versions.list(skill.id)],
      ["retrieve version", () => stranger.beta.skills.versions.retrieve(skill.latest_version_id, { skill_id: skill.id })],
      ["download version", () => stranger.beta.skills.versions.download(skill.latest_version_id, { skill_id: skill.id })],
      ["delete version", () => stranger.beta.skills.versions.delete(skill.latest_version_id, { skill_id: skill.id })],
      ["create version", async () => stranger.beta.skills.versions.create(skill.id, { files: await folder({ "private/SKILL.md": skillMd("private", "theirs") }) })],
    ];
    for (const [name, attempt] of attempts) expect([name, (await failure(attempt()))?.status]).toEqual([name, 404]);
    expect(await collect(stranger.beta.skills.list())).toEqual([]);
    const agent = await failure(stranger.beta.agents.create({ name: "thief", model: "m", skills: [{ type: "custom", skill_id: skill.id }] }));
    expect([agent?.status, message(agent)]).toEqual([400, expect.stringMatching(/^skills\[0\]\.skill_id: no skill/)]);
    expect((await client.beta.skills.versions.retrieve("latest", { skill_id: skill.id })).description).toBe("mine");
  }, 60_000);
});
