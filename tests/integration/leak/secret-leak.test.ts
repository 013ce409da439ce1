import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { describeLeaks, encodedForms, findLeaks, fragmentsOf, type TSecret } from "@/tests/fixtures/leak/leak-scan";
import { certificateBundle, startLoopbackHost, type LoopbackHost } from "@/tests/fixtures/leak/loopback-host";
import { captureStream, dumpDatabase, filesUnder, workspaceOf } from "@/tests/fixtures/leak/observe";
import { DONE_TEXT, huntProbes, PROBE_DIR, secretHunter, type TProbe } from "@/tests/fixtures/leak/secret-hunt";
import { WebVisitor } from "@/tests/fixtures/leak/web-visitor";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { until } from "@/tests/fixtures/wait";

/**
 * The leak suite. A session whose vault holds an `environment_variable` credential (allowed to one
 * loopback test host) and a `static_bearer` one runs in a real bubblewrap sandbox behind the egress
 * proxy, on the real server, driven through the official SDK. Its scripted model does its best to
 * find and print secrets: the environment, /proc/*\/environ, a search of the file system for the
 * secrets' shapes and prefixes, the proxy's CA key, the placeholder sent to a host that is not
 * allowed, DNS, raw sockets. Then every place a secret could end up is searched for the secrets,
 * in every usual encoding: what the sandbox saw (its raw output, read on the host before any
 * redaction), tool results, stored events (API, SSE stream, straight from the database), the model's
 * requests, the server's log, the session page of a signed-in member, the replay page of a share
 * link, and the files under DATA_DIR. The allowed host, meanwhile, must have received the real value.
 *
 * Every search has a control showing it would find a leak: a second session plants the secrets in
 * its own workspace and runs the same probes, which must then find them — and the platform must
 * redact them from everything it stores.
 */

const available = await requirePostgres("the secret leak suite");

/**
 * The test hosts are loopback addresses, which the egress proxy refuses by default (a sandbox must
 * not reach the host's services): the server is told to let its local sandboxes' proxies connect
 * to private addresses for this run (the local provider's `egress.allowPrivateAddresses`).
 */
const EGRESS_TEST_ENV = { EGRESS_ALLOW_PRIVATE_ADDRESSES: "true" };

const SECRET_NAME = "LEAK_API_KEY";
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
/** `/`, `+` and `=` so that its URL-encoded and base64 forms differ from the plain one. */
const ENV_SECRET = `sk_leak_${hex(8)}/${hex(8)}+${hex(4)}=`;
const BEARER_TOKEN = `mcp_bearer_${hex(16)}`;
const SECRETS: TSecret[] = [
  { label: "the environment_variable secret", value: ENV_SECRET, fixedPrefix: "sk_leak_" },
  { label: "the static_bearer token", value: BEARER_TOKEN, fixedPrefix: "mcp_bearer_" },
];
/** The secrets' shapes and prefixes as grep -E patterns whose own text does not match them. */
const PATTERNS = ["s[k]_lea[k]_[0-9a-f]{16}/[0-9a-f]{16}[+][0-9a-f]{8}=", "s[k]_lea[k]_", "mc[p]_bearer_[0-9a-f]{32}", "mc[p]_bearer_"];
/** Printed at the end of every probe: proves each search below covers the tool results. */
const MARKER = `hunt-marker-${hex(6)}`;
const HUNT_TIMEOUT_MS = 10 * 60_000;
const ARTIFACTS = path.resolve("tests/.artifacts/leak");

const leaksIn = (texts: Record<string, string>) => Object.entries(texts).flatMap(([where, text]) => findLeaks(text, SECRETS, where));
const expectNoLeaks = (texts: Record<string, string>) => {
  const leaks = leaksIn(texts);
  expect(leaks, describeLeaks(leaks, texts)).toEqual([]);
};

type TWireEvent = { id: string; type: string; [key: string]: unknown };

describe.runIf(available)("secrets never leak out of a session that hunts for them", () => {
  let allowed: LoopbackHost;
  let side: LoopbackHost;
  let forbidden: LoopbackHost;
  let bundle: { path: string; remove(): void };
  let model: MessagesApiServer;
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let team: { id: string; slug: string };
  let apiKey: string;
  const apiBodies: string[] = [];
  const plans: Record<string, TProbe[]> = {};
  let probes: ReturnType<typeof huntProbes>;
  let setup: { vaultId: string; credentials: unknown[]; environment: unknown; session: unknown };
  let mainSession: string;
  let controlSession: string;
  let streamText = "";
  const member = { name: "Leak Tester", email: `leak-${hex(4)}@example.com`, password: "correct-horse-battery" };
  let visitor: WebVisitor;

  /** Raw output of a probe as the sandbox wrote it (on the host, before any redaction). */
  const raw = (sessionId: string, probe: string) => {
    const workspace = workspaceOf(app.dataDir, sessionId);
    if (!workspace) throw new Error(`session ${sessionId} has no sandbox workspace`);
    return fs.readFileSync(path.join(workspace, PROBE_DIR.replace("/workspace/", ""), `${probe}.out`), "utf8");
  };
  const events = async (sessionId: string): Promise<TWireEvent[]> => {
    const out: TWireEvent[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId, { limit: 100 })) out.push(event as unknown as TWireEvent);
    return out;
  };
  const textOf = (event: TWireEvent) => JSON.stringify(event.content ?? "");
  /** The stored tool result of a probe (found by its end line). */
  const toolResult = async (sessionId: string, probe: string) => {
    const results = (await events(sessionId)).filter((e) => e.type === "agent.tool_result");
    const found = results.find((e) => textOf(e).includes(`probe ${probe} finished ${MARKER}`));
    if (!found) throw new Error(`no tool result for probe ${probe}`);
    return textOf(found);
  };

  const hunt = async (sessionId: string, plan: string) => {
    await client.beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: `Find every secret you can and print it. hunt: ${plan}` }] }] });
    await until(
      `the ${plan} hunt to end`,
      async () => {
        const log = await events(sessionId);
        if (log.at(-1)?.type !== "session.status_idle") return false;
        if (log.some((e) => e.type === "agent.message" && textOf(e).includes(DONE_TEXT))) return true;
        // idle before the plan was done: the turn failed; say how instead of waiting out the timeout
        throw new Error(`the ${plan} hunt stopped early: ${JSON.stringify(log.slice(-4)).slice(0, 2000)}`);
      },
      { timeoutMs: HUNT_TIMEOUT_MS, intervalMs: 250 },
    );
  };

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("this suite needs root: networked local sandboxes live in network namespaces (ip netns)");
    [allowed, side, forbidden] = await Promise.all([
      startLoopbackHost("127.0.0.2", "allowed host"),
      startLoopbackHost("127.0.0.4", "side host"),
      startLoopbackHost("127.0.0.3", "forbidden host"),
    ]);
    bundle = certificateBundle([allowed, side, forbidden]);
    model = await startMessagesApiServer({ respond: secretHunter(plans, MARKER) });
    app = await startAppServer({
      database: "postgres",
      env: {
        ANTHROPIC_API_KEY: "model-key",
        ANTHROPIC_BASE_URL: model.url,
        VAULT_KEY: randomBytes(32).toString("base64"),
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"), // required with DATABASE_URL
        // the proxy's upstream TLS trusts the test hosts' certificates
        NODE_EXTRA_CA_CERTS: bundle.path,
        ...EGRESS_TEST_ENV,
      },
    });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });

    // A member signs up (their personal team); the API key is one of that team's.
    visitor = new WebVisitor(app.url);
    await visitor.signUp(member);
    const membership = await db.prisma.membership.findFirstOrThrow({ where: { user: { email: member.email } }, include: { team: true } });
    team = { id: membership.team.id, slug: membership.team.slug };
    const { key } = await createApiKey(db.prisma, { teamId: team.id, name: "leak suite" });
    apiKey = key;
    client = new Anthropic({
      apiKey: key,
      baseURL: app.url,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) apiBodies.push(await response.clone().text());
        return response;
      },
    });

    const vault = await client.beta.vaults.create({ display_name: "hunted" });
    const credentials = [
      await client.beta.vaults.credentials.create(vault.id, {
        display_name: "test API",
        auth: {
          type: "environment_variable",
          secret_name: SECRET_NAME,
          secret_value: ENV_SECRET,
          networking: { type: "limited", allowed_hosts: [allowed.address] },
          injection_location: { header: true, body: true },
        },
      }),
      await client.beta.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", mcp_server_url: "https://mcp.leak.example/mcp", token: BEARER_TOKEN } }),
    ];
    const environment = await client.beta.environments.create({
      name: "limited",
      config: { type: "cloud", networking: { type: "limited", allowed_hosts: [allowed.address, side.address], allow_mcp_servers: false, allow_package_managers: false } },
    });
    const agent = await client.beta.agents.create({ name: "Secret hunter", model: "claude-sonnet-4-5", tools: [{ type: "agent_toolset_20260401" }] });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id], title: "Hunt" });
    const control = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [vault.id], title: "Hunt with planted secrets" });
    setup = { vaultId: vault.id, credentials, environment, session };
    mainSession = session.id;
    controlSession = control.id;

    probes = huntProbes({
      secretName: SECRET_NAME,
      patterns: PATTERNS,
      allowed,
      side,
      forbidden,
      hostServices: {
        "app-server": { host: "127.0.0.1", port: Number(new URL(app.url).port) },
        "model-server": { host: "127.0.0.1", port: model.port },
        postgres: { host: "127.0.0.1", port: 5432 },
      },
      dataDir: app.dataDir,
    });
    plans.main = [probes.environment, probes.filesystem, probes.network, probes.dns, probes.sockets, probes.caKey];
    // The control: the secrets written into the workspace (from the host), then the same searches.
    const plant = async () => {
      const workspace = workspaceOf(app.dataDir, controlSession);
      if (!workspace) throw new Error("the control session has no workspace yet");
      fs.writeFileSync(path.join(workspace, "planted.txt"), `${ENV_SECRET}\n${BEARER_TOKEN}\n`, { mode: 0o644 });
      fs.writeFileSync(path.join(workspace, "planted-key.pem"), `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString("base64")}\n-----END PRIVATE KEY-----\n`, { mode: 0o644 });
    };
    plans.control = [{ name: "ready", body: "echo ready" }, { ...probes.filesystem, before: plant }, probes.caKey];

    const stream = await captureStream(app.url, key, mainSession);
    await hunt(mainSession, "main");
    await hunt(controlSession, "control");
    await stream.stop();
    streamText = stream.text();
  }, 2 * HUNT_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    // What the main session's sandbox saw and what the server logged, kept for whoever reads a failure.
    if (app) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      fs.writeFileSync(path.join(ARTIFACTS, "server.log"), app.output());
      const workspace = mainSession ? workspaceOf(app.dataDir, mainSession) : null;
      const probeDir = workspace && path.join(workspace, ".probes");
      if (probeDir && fs.existsSync(probeDir)) for (const f of fs.readdirSync(probeDir)) fs.copyFileSync(path.join(probeDir, f), path.join(ARTIFACTS, f));
    }
    await db?.close();
    await app?.stop();
    await model?.close();
    await Promise.all([allowed?.close(), side?.close(), forbidden?.close()]);
    bundle?.remove();
  });

  it("finds a secret in any of its usual forms, and only the secret (the scanner's own control)", () => {
    for (const secret of SECRETS) {
      for (const [form, encoded] of Object.entries(encodedForms(secret.value))) {
        expect(findLeaks(`before ${encoded} after`, SECRETS).map((l) => l.secret), form).toContain(secret.label);
      }
      const basic = Buffer.from(`user:${secret.value}`).toString("base64");
      expect(findLeaks(`Authorization: Basic ${basic}`, SECRETS).length).toBeGreaterThan(0);
      expect(findLeaks(`shown as ${fragmentsOf(secret).at(-1)}…`, SECRETS).length).toBeGreaterThan(0);
    }
    expect(findLeaks(`${SECRET_NAME}=oma_egress_${hex(16)} ${PATTERNS.join(" ")} sk_leak_ mcp_bearer_ [redacted]`, SECRETS)).toEqual([]);
  });

  it("was set up through the API: the vault's credentials without their secrets, a limited environment, the session with the vault", () => {
    expect(setup.credentials).toEqual([
      expect.objectContaining({ type: "vault_credential", auth: { type: "environment_variable", secret_name: SECRET_NAME, networking: { type: "limited", allowed_hosts: [allowed.address] }, injection_location: { header: true, body: true } } }),
      expect.objectContaining({ type: "vault_credential", auth: { type: "static_bearer", mcp_server_url: "https://mcp.leak.example/mcp" } }),
    ]);
    expect(setup.environment).toMatchObject({ config: { networking: { type: "limited", allowed_hosts: [allowed.address, side.address] } } });
    expect(setup.session).toMatchObject({ vault_ids: [setup.vaultId] });
    expect(apiBodies.length).toBeGreaterThan(5);
  });

  it("shows the sandbox the credential's variable as a placeholder only, in env and in /proc/*/environ", async () => {
    const out = raw(mainSession, "environment");
    expectNoLeaks({ "sandbox environment (raw)": out });
    const value = new RegExp(`^${SECRET_NAME}=(.+)$`, "m").exec(out)?.[1];
    expect(value, `${SECRET_NAME} is not set in the sandbox`).toBeDefined();
    expect(value).not.toBe(ENV_SECRET);
    expect(out).toContain("--- /proc/*/environ");
    expect(out).toMatch(new RegExp(`# /proc/\\d+/environ\\n(.*\\n)*${SECRET_NAME}=`));
    // nothing had to be redacted from what the sandbox printed
    expect(await toolResult(mainSession, "environment")).not.toContain("[redacted]");
  });

  it("finds no secret anywhere in the sandbox's file system, while the same search finds the ones planted in a workspace", async () => {
    const out = raw(mainSession, "filesystem");
    expectNoLeaks({ "file system search (raw)": out });
    for (const root of ["/", "/etc", "/proc/self", "/workspace", "/tmp", "/run", "/proc/*/environ"]) expect(out).toContain(`--- ${root}`);
    expect(out.split("\n").filter((line) => line.startsWith("match: "))).toEqual([]);

    const control = raw(controlSession, "filesystem");
    const matches = control.split("\n").filter((line) => line.startsWith("match: "));
    expect(matches.some((line) => line.includes(`planted.txt:1:${ENV_SECRET}`))).toBe(true);
    expect(matches.some((line) => line.includes(`planted.txt:2:${BEARER_TOKEN}`))).toBe(true);
    // the platform redacted what the sandbox printed before storing it
    const stored = await toolResult(controlSession, "filesystem");
    expect(stored).toContain("[redacted]");
    expectNoLeaks({ "control tool result": stored });
  });

  it("delivers the real value to the allowed host, over HTTP and HTTPS, and never hands it back to the sandbox", () => {
    const out = raw(mainSession, "network");
    for (const probe of ["allowed-http", "allowed-https", "allowed-reflect"]) expect(out, out).toContain(`${probe}: http=200 exit=0`);
    const byUrl = (url: string) => allowed.received.filter((r) => r.url === url);
    expect(byUrl("/record-http")).toEqual([expect.objectContaining({ scheme: "http", method: "POST", body: `key=${ENV_SECRET}` })]);
    expect(byUrl("/record-http")[0]!.headers.authorization).toBe(`Bearer ${ENV_SECRET}`);
    expect(byUrl("/record-https")).toEqual([expect.objectContaining({ scheme: "https", method: "GET" })]);
    expect(byUrl("/record-https")[0]!.headers.authorization).toBe(`Bearer ${ENV_SECRET}`);
    // the reflecting route got the value too, and reflected it; the sandbox must not have seen it
    expect(byUrl("/reflect")[0]?.headers.authorization).toBe(`Bearer ${ENV_SECRET}`);
    expect(out).toContain("body: authorization: Bearer ");
    expectNoLeaks({ "network probes (raw)": out });
  });

  it("sends the placeholder unchanged to a host the environment allows but the credential does not", () => {
    const placeholder = new RegExp(`^${SECRET_NAME}=(.+)$`, "m").exec(raw(mainSession, "environment"))?.[1];
    expect(placeholder).toBeDefined();
    const out = raw(mainSession, "network");
    expect(out, out).toContain("side-host: http=200 exit=0");
    const got = side.received.filter((r) => r.url === "/record-side");
    expect(got).toHaveLength(1);
    expect(got[0]!.headers.authorization).toBe(`Bearer ${placeholder}`);
    expect(got[0]!.body).toBe(`key=${placeholder}`);
  });

  it("lets nothing reach a host that is not allowed, through the proxy or around it", async () => {
    const out = raw(mainSession, "network");
    expect(out).toContain("forbidden-http: http=403");
    // refused by the network policy itself, not only because the address is a private one
    expect(out.match(/x-egress-refusal: host_not_allowed/gi)).toHaveLength(2);
    expect(out).toMatch(/forbidden-https: http=\d+ exit=[1-9]/);
    expect(out).toMatch(/direct-allowed: http=000 exit=[1-9]/);
    expect(out).toMatch(/direct-forbidden: http=000 exit=[1-9]/);
    expect(allowed.received.filter((r) => r.url === "/direct")).toEqual([]);
    expect(forbidden.received).toEqual([]);
    expect(forbidden.connections()).toBe(0);
    // control: the forbidden host is up and counts what reaches it
    const response = await fetch(`http://${forbidden.address}:${forbidden.httpPort}/from-the-test`);
    expect(response.status).toBe(200);
    expect(forbidden.received.map((r) => r.url)).toEqual(["/from-the-test"]);
    expect(forbidden.connections()).toBe(1);
  });

  it("resolves no names and opens no socket but the proxy's", () => {
    const dns = raw(mainSession, "dns");
    expect(dns).toContain("getent localhost: found"); // control: getent itself works
    expect(dns).toContain("getent leak-forbidden.test: not found");
    expect(dns).toContain("getent allowed.leak.test: not found");
    expect(dns).toContain("--- routes: 0");
    expect(dns).toMatch(/python3 getaddrinfo exit=[1-9]|python3: not installed/);
    expect(dns).toMatch(/nslookup exit=[1-9]|nslookup: not installed/);

    const sockets = raw(mainSession, "sockets");
    const tools = sockets.includes("python tcp proxy: no python") ? ["bash"] : ["bash", "python"];
    for (const tool of tools) {
      // control: the same probe does open a connection where there is something to reach
      expect(sockets).toContain(`${tool} tcp proxy: open`);
      for (const label of ["allowed-host", "forbidden-host", "forbidden-host-tls", "app-server", "model-server", "postgres"]) {
        expect(sockets).toContain(`${tool} tcp ${label}: closed`);
      }
    }
    expect(sockets).not.toMatch(/tcp (?!proxy)\S+: open/);
  });

  it("keeps the proxy's CA key out of the sandbox's sight, while the sandbox trusts its certificate", () => {
    const caDir = path.join(app.dataDir, "egress-ca");
    const key = fs.readFileSync(path.join(caDir, "ca.key"), "utf8"); // control: the key exists on the host
    const cert = fs.readFileSync(path.join(caDir, "ca.crt"), "utf8");
    expect(key).toContain("PRIVATE KEY");
    const out = raw(mainSession, "ca-key");
    expect(out).not.toContain("PRIVATE KEY");
    expect(out).not.toMatch(/^private key in: /m);
    for (const line of key.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"))) expect(out).not.toContain(line);
    // the bundle the sandbox trusts ends with the proxy's CA certificate
    const certLines = cert.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"));
    expect(out).toContain(certLines.at(-1)!);
    // control: the same search finds a key planted in a workspace
    expect(raw(controlSession, "ca-key")).toContain("private key in: /workspace/planted-key.pem");
  });

  describe("nothing the platform stores, sends or shows holds a secret", () => {
    it("tool results, as the API lists them", async () => {
      const texts: Record<string, string> = {};
      for (const sessionId of [mainSession, controlSession]) {
        for (const event of (await events(sessionId)).filter((e) => e.type === "agent.tool_result")) texts[`${sessionId} ${event.id}`] = textOf(event);
      }
      expect(Object.keys(texts)).toHaveLength(plans.main!.length + plans.control!.length);
      for (const text of Object.values(texts)) expect(text).toContain(MARKER);
      expectNoLeaks(texts);
    });

    it("every API response and the session's SSE stream", () => {
      const all = apiBodies.join("\n");
      expect(all).toContain(MARKER);
      expect(streamText).toContain(MARKER);
      expect(streamText).toContain("agent.tool_result");
      expectNoLeaks({ "API responses": all, "SSE stream": streamText });
    });

    it("every row of every table of the database", async () => {
      const dump = await dumpDatabase(db.prisma);
      expect(dump.SessionEvent ?? "").toContain(MARKER);
      expect(await db.prisma.credential.count({ where: { vaultId: setup.vaultId } })).toBe(2);
      expectNoLeaks(dump);
    });

    it("every request the model received", () => {
      const texts = Object.fromEntries(model.requests.map((r, i) => [`model request ${i + 1}`, `${JSON.stringify(r.headers)}\n${r.rawBody}`]));
      expect(Object.values(texts).join("\n")).toContain(MARKER);
      expectNoLeaks(texts);
    });

    it("every line of the server's log", () => {
      const output = app.output();
      expect(output).toContain("egress"); // control: the proxy's decisions are in it
      expectNoLeaks({ "server log": output });
    });

    it("the session page of a signed-in member and the replay page of a share link", async () => {
      const texts: Record<string, string> = {};
      for (const sessionId of [mainSession, controlSession]) {
        const page = await visitor.fetch(`/t/${team.slug}/sessions/${sessionId}`);
        expect(page.status).toBe(200);
        texts[`session page ${sessionId}`] = await page.text();
        const created = await fetch(`${app.url}/v1/sessions/${sessionId}/share_links`, { method: "POST", headers: { "x-api-key": apiKey } });
        expect(created.status).toBe(200);
        const replay = await fetch(`${app.url}${((await created.json()) as { path: string }).path}`);
        expect(replay.status).toBe(200);
        texts[`replay page ${sessionId}`] = await replay.text();
      }
      for (const html of Object.values(texts)) expect(html).toContain(MARKER);
      expectNoLeaks(texts);
    });

    it("the files the server keeps under DATA_DIR (except the control's planted workspace)", () => {
      const controlWorkspace = workspaceOf(app.dataDir, controlSession)!;
      const files = filesUnder(app.dataDir, [controlWorkspace]);
      expect(files.some((f) => f.endsWith(path.join(".probes", "network.out")))).toBe(true);
      expectNoLeaks(Object.fromEntries(files.map((f) => [f, fs.readFileSync(f).toString("latin1")])));
      // control: the same walk over the control workspace finds the planted secrets
      const planted = filesUnder(controlWorkspace).map((f) => fs.readFileSync(f).toString("latin1"));
      expect(leaksIn({ planted: planted.join("\n") }).length).toBeGreaterThan(0);
    });
  });
});

