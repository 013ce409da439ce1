import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READY_LINE, readyPort } from "@/tests/fixtures/app-server";
import { NODE_HOOKS } from "@/tests/fixtures/node-entry";
import { WebClient } from "@/tests/fixtures/web-client";

// The production server end to end: one port serving pages, API routes and Socket.io.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The server's embedded database lives in a directory of this test's own. */
const DATA_DIR = mkdtempSync(join(tmpdir(), "oma-server-test-"));
/** `npm start` builds the app first when the build is missing or stale: allow for a build. */
const READY_TIMEOUT_MS = 240_000;
const EXIT_TIMEOUT_MS = 5_000;

interface ServerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}


function serverEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info", DATA_DIR };
  for (const name of ["DATABASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "PORT", "HOST"]) {
    delete env[name];
  }
  return { ...env, ...overrides };
}

function startServer(env: NodeJS.ProcessEnv, entry: "scripts/start.ts" | "server.ts"): ServerProcess {
  const child = spawn(process.execPath, [...NODE_HOOKS, entry], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitForOutput(server: ServerProcess, text: string | RegExp): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (typeof text === "string" ? !server.stdout().includes(text) : !text.test(server.stdout())) {
    if (exitCode !== undefined) {
      throw new Error(`server exited with ${exitCode} before "${text}": ${server.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}": ${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

function connect(url: string, options: Parameters<typeof io>[1] = {}): Socket {
  return io(url, { path: "/socket.io", reconnection: false, timeout: 5_000, ...options });
}


describe("production server", () => {
  let server: ServerProcess;
  let baseUrl: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // what `npm start` runs: builds when the build is missing or older than the sources, then serves
    // (PORT=0: on a port the system picks, which the "ready on" line names)
    server = startServer(serverEnv({ PORT: "0", HOST: "127.0.0.1" }), "scripts/start.ts");
    await waitForOutput(server, READY_LINE);
    baseUrl = `http://127.0.0.1:${readyPort(server.stdout())}`;
  });

  afterAll(() => {
    for (const socket of sockets) socket.close();
    if (server?.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    rmSync(DATA_DIR, { recursive: true, force: true });
  });

  it("logs the runtime it booted with", () => {
    expect(server.stdout()).toContain(`database: embedded PGlite in ${join(DATA_DIR, "pglite")}`);
    expect(server.stdout()).toContain("model: Built-in demo model");
  });

  it("serves the home page with the runtime status", async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain("Open Managed Agents");
    // where the database lives is for members only
    expect(html).toContain("Embedded PGlite");
    expect(html).not.toContain(join(DATA_DIR, "pglite"));
    expect(html).toContain("no database server needed");
    expect(html).toContain("Built-in demo model");
    expect(html).toContain("Set ANTHROPIC_API_KEY to use Claude");
  });

  it("shows a signed-in member where the database lives", async () => {
    const member = new WebClient(baseUrl);
    const signedUp = await member.post("/api/auth/callback/sign-up", { name: "Ada", email: "ada@home.example", password: "a long enough password" });
    expect(signedUp.status, await signedUp.text()).toBeLessThan(400);
    expect(member.hasSession()).toBe(true);
    const html = await (await member.fetch("/")).text();
    expect(html).toContain(`embedded PGlite in ${join(DATA_DIR, "pglite")}`);
    expect(html).toContain("Open your teams");
  });

  it("answers the health check", async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "pglite" });
  });

  it("serves the favicon and app icons from public/, and the pages link to them", async () => {
    const expected = {
      "/favicon.ico": "image/x-icon",
      "/icon.svg": "image/svg+xml",
      "/apple-touch-icon.png": "image/png",
      "/icon-192.png": "image/png",
      "/site.webmanifest": "application/manifest+json",
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain(type);
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
    const html = await (await fetch(`${baseUrl}/sign-in`)).text();
    expect(html).toMatch(/<link rel="icon" href="\/favicon.ico"/);
    expect(html).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon.png"/);
    expect(html).toMatch(/<link rel="manifest" href="\/site.webmanifest"/);
  });

  it("accepts Socket.io clients on the same port and acknowledges ping", async () => {
    const socket = connect(baseUrl);
    sockets.push(socket);
    const ack: unknown = await withTimeout(socket.emitWithAck("ping"), 5_000, "ping");
    expect(ack).toEqual({ ok: true });
  });

  it("refuses Socket.io connections from another origin", async () => {
    const socket = connect(baseUrl, {
      transports: ["polling"],
      extraHeaders: { origin: "http://elsewhere.example" },
    });
    sockets.push(socket);
    const error = await withTimeout(
      new Promise<Error>((resolve) => socket.once("connect_error", resolve)),
      5_000,
      "connect_error",
    );
    expect(error).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
  });

  it("shuts down cleanly on SIGTERM while a client is connected", async () => {
    expect(sockets[0]?.connected).toBe(true);
    server.child.kill("SIGTERM");
    const code = await withTimeout(server.exited, EXIT_TIMEOUT_MS, "shutdown");
    expect(code).toBe(0);
    expect(server.stdout()).toContain("shutting down");
  });
});

describe("server configuration", () => {
  it("exits non-zero with one line naming PORT when PORT is invalid", async () => {
    const server = startServer(serverEnv({ NODE_ENV: "production", PORT: "abc" }), "server.ts");
    const code = await withTimeout(server.exited, READY_TIMEOUT_MS, "exit");
    expect(code).not.toBe(0);
    const lines = server.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('Invalid environment: PORT must be an integer between 0 and 65535 (got "abc")');
    expect(server.stdout()).not.toContain("ready on");
  });

  it("exits non-zero with one line naming NEXTAUTH_SECRET when it serves PostgreSQL without one, before it touches the database", async () => {
    // nothing listens at this address: the server must stop before it tries to connect
    const server = startServer(serverEnv({ NODE_ENV: "production", PORT: "0", DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", NEXTAUTH_SECRET: "" }), "server.ts");
    const code = await withTimeout(server.exited, READY_TIMEOUT_MS, "exit");
    expect(code).not.toBe(0);
    const lines = server.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid environment: NEXTAUTH_SECRET is required with DATABASE_URL/);
    expect(server.stdout()).not.toContain("ready on");
    expect(server.stdout() + server.stderr()).not.toMatch(/ECONNREFUSED|connect/i);
  });
});
