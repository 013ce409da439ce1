import fs from "node:fs";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretToken } from "@/lib/ids";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { startMessagesApiServer, type MessagesApiServer, type MessagesRequest, type TTurn } from "@/tests/fixtures/messages-api";
import { requireBubblewrap } from "../sandbox/local-fixture";
import { createRepository, startGitHttpServer, type GitHttpServer } from "./git-http-fixture";

/**
 * A session with a github_repository resource, end to end: created through the official SDK
 * against the real server, the repository cloned on the host from a loopback git server that
 * requires the token, and the scripted model's bash call reading it inside the real bubblewrap
 * sandbox — where neither the environment nor git's configuration holds the token. The token is
 * in no API response, no stored event, no model request, no log line and no file of DATA_DIR.
 */
type TEvent = { type: string; [key: string]: unknown };

const COMMAND = [
  "cat /workspace/project/README.md",
  "echo '--- env'",
  "env",
  "echo '--- git config'",
  "git -C /workspace/project config --list",
  "echo '--- pid 1'",
  "tr '\\0' '\\n' < /proc/1/environ",
].join("; ");

/** Runs COMMAND on the first call of a turn, then ends the turn echoing nothing of the output. */
function respond(request: MessagesRequest): TTurn {
  const last = request.body.messages.at(-1);
  const answered = last && typeof last.content !== "string" && last.content.some((b) => b.type === "tool_result");
  if (answered) return { content: [{ type: "text", text: "I read the repository." }] };
  return { content: [{ type: "tool_use", name: "bash", input: { command: COMMAND } }] };
}

describe("a session with a github_repository resource", () => {
  let gitServer: GitHttpServer;
  let model: MessagesApiServer;
  let app: AppServer;
  let client: Anthropic;
  let agentId: string;
  let environmentId: string;
  const token = newSecretToken("ghp_");

  beforeAll(async () => {
    requireBubblewrap();
    gitServer = await startGitHttpServer(token);
    createRepository(gitServer, "project");
    model = await startMessagesApiServer({ respond });
    app = await startAppServer({ env: { ANTHROPIC_API_KEY: "model-key", ANTHROPIC_BASE_URL: model.url } });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    environmentId = (await client.beta.environments.create({ name: "repo env" })).id;
    agentId = (await client.beta.agents.create({ name: "reader", model: "claude-repo-test", tools: [{ type: "agent_toolset_20260401" }] } as never)).id;
  });

  afterAll(async () => {
    await app?.stop();
    await model?.close();
    await gitServer?.close();
  });

  async function runTurn(resources: unknown[]): Promise<{ session: Record<string, unknown>; events: TEvent[] }> {
    const session = (await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, resources } as never)) as unknown as Record<string, unknown>;
    const stream = await client.beta.sessions.events.stream(session.id as string);
    await client.beta.sessions.events.send(session.id as string, { events: [{ type: "user.message", content: [{ type: "text", text: "Read the README." }] }] });
    for await (const event of stream as AsyncIterable<TEvent>) {
      if (event.type === "session.status_idle" && (event.stop_reason as { type: string }).type !== "requires_action") break;
    }
    const events: TEvent[] = [];
    for await (const event of client.beta.sessions.events.list(session.id as string)) events.push(event as unknown as TEvent);
    return { session, events };
  }

  /** Every file under `dir` as raw text (the embedded database, workspaces, keys…). */
  function allFiles(dir: string): string {
    let text = "";
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) text += allFiles(full);
      else if (entry.isFile()) text += fs.readFileSync(full, "latin1");
    }
    return text;
  }

  it("clones with the token outside the sandbox; the sandbox reads the files and never sees the token", async () => {
    const url = gitServer.url("project.git");
    const { session, events } = await runTurn([{ type: "github_repository", url, authorization_token: token }]);
    expect(session.resources).toEqual([expect.objectContaining({ type: "github_repository", url, mount_path: "/workspace/project" })]);
    expect(JSON.stringify(session)).not.toContain(token);

    const result = events.find((e) => e.type === "agent.tool_result");
    const output = JSON.stringify(result);
    expect(output).toContain("hello from main");
    expect(output).toContain(`remote.origin.url=${url}`);
    expect(output).toMatch(/--- env\\n(.|\\n)*PATH=/); // env did list the sandbox's environment
    expect(output).toContain("--- pid 1");
    expect(output.toLowerCase()).not.toContain("extraheader");
    expect(output).not.toContain("GIT_CONFIG");

    const retrieved = await client.beta.sessions.retrieve(session.id as string);
    const everything = JSON.stringify({ retrieved, events, model: model.requests.map((r) => r.rawBody), log: app.output() });
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${token}`).toString("base64"));
    expect(gitServer.requests.some((r) => r.authorized)).toBe(true);
    expect(gitServer.tokenInArgv).toEqual([]);
    // the clone, the database, the keys: the token is stored nowhere in the clear
    expect(allFiles(app.dataDir)).not.toContain(token);
  });

  it("a wrong token fails the sandbox with a clear repository error that does not contain it", async () => {
    const wrong = newSecretToken("ghp_");
    const { events } = await runTurn([{ type: "github_repository", url: gitServer.url("project.git"), authorization_token: wrong }]);
    const everything = JSON.stringify(events);
    expect(everything).toContain("repository_authentication_error");
    expect(everything).not.toContain(wrong);
    expect(app.output()).not.toContain(wrong);
  });
});
