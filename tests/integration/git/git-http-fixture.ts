import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A git server on loopback for the clone tests: Node's http server in front of git's own
 * `git http-backend` (the smart HTTP protocol, as GitHub speaks it), serving the bare repositories
 * under a temporary directory. Every request must carry `Authorization: Basic
 * base64("x-access-token:<token>")`, as GitHub accepts a token; others get 401.
 *
 * While each request is served, the server looks at the command line of every process on the host
 * (`/proc/<pid>/cmdline`, what `ps` shows to any user) and records any that contains the token.
 */
export type GitHttpServer = {
  token: string;
  root: string;
  url(repo: string): string;
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  /** Command lines (of any process) seen holding the token while a request was served. */
  tokenInArgv: string[];
  close(): Promise<void>;
};

export async function startGitHttpServer(token: string): Promise<GitHttpServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "oma-git-server-"));
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const requests: GitHttpServer["requests"] = [];
  const tokenInArgv: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? "", path: url.pathname, authorized });
    tokenInArgv.push(...commandLinesContaining(token));
    if (!authorized) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="test"', "content-type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => serveCgi(root, req, url, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    token,
    root,
    url: (repo) => `http://127.0.0.1:${port}/${repo}`,
    requests,
    tokenInArgv,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function serveCgi(root: string, req: http.IncomingMessage, url: URL, body: Buffer, res: http.ServerResponse): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    CONTENT_LENGTH: String(body.length),
    REMOTE_ADDR: "127.0.0.1",
    HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
    HTTP_GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
  };
  const child = spawn("git", ["http-backend"], { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
  const out: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c));
  child.stderr.resume();
  // git http-backend may answer and exit before it has read the whole request body (a loaded
  // machine makes that likelier): the write then fails with EPIPE, which is no failure of the test
  child.stdin.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  child.stdin.end(body);
  child.on("close", () => {
    const all = Buffer.concat(out);
    let split = all.indexOf("\r\n\r\n");
    let sep = 4;
    if (split < 0) {
      split = all.indexOf("\n\n");
      sep = 2;
    }
    const head = all.subarray(0, Math.max(split, 0)).toString("latin1");
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(":");
      if (i < 0) continue;
      const name = line.slice(0, i).trim().toLowerCase();
      const value = line.slice(i + 1).trim();
      if (name === "status") status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.end(split < 0 ? all : all.subarray(split + sep));
  });
}

function commandLinesContaining(secret: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1");
      if (cmdline.includes(secret)) found.push(cmdline.replaceAll("\0", " "));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/** Runs git in `cwd` with a fixed identity and no host configuration; returns stdout, trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.invalid",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.invalid",
    } as Record<string, string> as NodeJS.ProcessEnv,
  }).trim();
}

/**
 * A bare repository `<name>.git` on the server: `main` with README.md ("hello from main"), a
 * `feature` branch adding feature.txt, and a commit no ref points to (reachable by id only; the
 * server allows fetching it, as GitHub does). Returns the commit ids.
 */
export function createRepository(server: GitHttpServer, name: string): { main: string; feature: string; first: string; orphan: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "oma-git-work-"));
  try {
    git(work, "init", "--quiet", "--initial-branch=main");
    fs.writeFileSync(path.join(work, "README.md"), "first version\n");
    git(work, "add", "README.md");
    git(work, "commit", "--quiet", "-m", "first");
    const first = git(work, "rev-parse", "HEAD");
    fs.writeFileSync(path.join(work, "README.md"), "hello from main\n");
    git(work, "commit", "--quiet", "-am", "second");
    const main = git(work, "rev-parse", "HEAD");
    git(work, "checkout", "--quiet", "-b", "feature");
    fs.writeFileSync(path.join(work, "feature.txt"), "feature work\n");
    git(work, "add", "feature.txt");
    git(work, "commit", "--quiet", "-m", "feature");
    const feature = git(work, "rev-parse", "HEAD");
    git(work, "checkout", "--quiet", "-b", "gone");
    fs.writeFileSync(path.join(work, "orphan.txt"), "only reachable by id\n");
    git(work, "add", "orphan.txt");
    git(work, "commit", "--quiet", "-m", "orphan");
    const orphan = git(work, "rev-parse", "HEAD");
    const bare = path.join(server.root, `${name}.git`);
    git(server.root, "clone", "--quiet", "--bare", work, bare);
    git(bare, "branch", "-D", "gone");
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
    git(bare, "symbolic-ref", "HEAD", "refs/heads/main");
    return { main, feature, first, orphan };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
