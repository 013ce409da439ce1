import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretToken } from "@/lib/ids";
import { cloneRepositories, cloneRepository, RepositoryError } from "@/lib/sandbox/git";
import { createRepository, git, startGitHttpServer, type GitHttpServer } from "./git-http-fixture";

/**
 * The host-side clone against a real git smart-HTTP server on loopback that requires the token:
 * real git, real HTTP, real files.
 */
describe("cloneRepository", () => {
  let server: GitHttpServer;
  let ids: ReturnType<typeof createRepository>;
  let scratch: string;
  const token = newSecretToken("ghp_");

  beforeAll(async () => {
    server = await startGitHttpServer(token);
    ids = createRepository(server, "project");
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "oma-clone-"));
  });

  afterAll(async () => {
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const target = (name: string) => path.join(scratch, name);

  async function failure(promise: Promise<unknown>): Promise<RepositoryError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof RepositoryError) return error;
      throw error;
    }
    throw new Error("expected the clone to fail");
  }

  /** Every file of the tree as raw text, to look for the token anywhere in it. */
  function allFiles(dir: string): string {
    let text = "";
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) text += allFiles(full);
      else if (entry.isFile()) text += fs.readFileSync(full, "latin1");
    }
    return text;
  }

  it("clones the default branch with the token, leaving no credential in the clone", async () => {
    const dir = target("default");
    await cloneRepository({ url: server.url("project.git"), token, mountPath: "/workspace/project" }, dir);
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("hello from main\n");
    expect(git(dir, "rev-parse", "HEAD")).toBe(ids.main);
    expect(git(dir, "remote", "get-url", "origin")).toBe(server.url("project.git"));
    const config = fs.readFileSync(path.join(dir, ".git", "config"), "utf8");
    expect(config).toContain(server.url("project.git"));
    expect(config).not.toContain(token);
    expect(config.toLowerCase()).not.toContain("extraheader");
    expect(allFiles(dir)).not.toContain(token);
    expect(allFiles(dir)).not.toContain(Buffer.from(`x-access-token:${token}`).toString("base64"));
    expect(server.requests.some((r) => r.authorized)).toBe(true);
    // the token was on no process's command line while git talked to the server
    expect(server.tokenInArgv).toEqual([]);
  });

  it("checks out a branch", async () => {
    const dir = target("branch");
    await cloneRepository({ url: server.url("project.git"), token, checkout: { type: "branch", name: "feature" }, mountPath: "x" }, dir);
    expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("feature");
    expect(fs.readFileSync(path.join(dir, "feature.txt"), "utf8")).toBe("feature work\n");
  });

  it("checks out a commit, by full or short id, and one no branch reaches", async () => {
    const first = target("commit");
    await cloneRepository({ url: server.url("project.git"), token, checkout: { type: "commit", sha: ids.first.slice(0, 10) }, mountPath: "x" }, first);
    expect(git(first, "rev-parse", "HEAD")).toBe(ids.first);
    expect(fs.readFileSync(path.join(first, "README.md"), "utf8")).toBe("first version\n");

    const orphan = target("orphan");
    await cloneRepository({ url: server.url("project.git"), token, checkout: { type: "commit", sha: ids.orphan }, mountPath: "x" }, orphan);
    expect(git(orphan, "rev-parse", "HEAD")).toBe(ids.orphan);
    expect(fs.readFileSync(path.join(orphan, "orphan.txt"), "utf8")).toBe("only reachable by id\n");
    expect(allFiles(orphan)).not.toContain(token);
    expect(server.tokenInArgv).toEqual([]);
  });

  it("fails clearly with a wrong token, and the message does not hold it", async () => {
    const wrong = newSecretToken("ghp_");
    const dir = target("wrong");
    const error = await failure(cloneRepository({ url: server.url("project.git"), token: wrong, mountPath: "x" }, dir));
    expect(error.code).toBe("repository_authentication_error");
    expect(error.message).toContain("repository_authentication_error");
    expect(error.message).toContain(server.url("project.git"));
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(Buffer.from(`x-access-token:${wrong}`).toString("base64"));
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("fails clearly without a token", async () => {
    const error = await failure(cloneRepository({ url: server.url("project.git"), mountPath: "x" }, target("none")));
    expect(error.code).toBe("repository_authentication_error");
  });

  it("names a missing repository, branch or commit", async () => {
    const missing = await failure(cloneRepository({ url: server.url("nope.git"), token, mountPath: "x" }, target("nope")));
    expect(missing.code).toBe("repository_not_found_error");
    const branch = await failure(
      cloneRepository({ url: server.url("project.git"), token, checkout: { type: "branch", name: "no-such-branch" }, mountPath: "x" }, target("nb")),
    );
    expect(branch.code).toBe("repository_checkout_error");
    const commit = await failure(
      cloneRepository({ url: server.url("project.git"), token, checkout: { type: "commit", sha: "0123456789abcdef0123456789abcdef01234567" }, mountPath: "x" }, target("nc")),
    );
    expect(commit.code).toBe("repository_checkout_error");
    expect(fs.existsSync(target("nc"))).toBe(false);
  });

  it("refuses URLs with credentials in them, or other schemes, without repeating them", async () => {
    const withUser = server.url("project.git").replace("http://", `http://x:${token}@`);
    const error = await failure(cloneRepository({ url: withUser, mountPath: "x" }, target("userinfo")));
    expect(error.code).toBe("repository_clone_error");
    expect(error.message).not.toContain(token);
    const file = await failure(cloneRepository({ url: `file://${server.root}/project.git`, mountPath: "x" }, target("file")));
    expect(file.message).toMatch(/https/);
    expect(fs.existsSync(target("file"))).toBe(false);
  });

  it("gives up after its timeout", async () => {
    // a server that accepts the connection and never answers
    const silent = (await import("node:net")).createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await failure(cloneRepository({ url: `http://127.0.0.1:${port}/slow.git`, token, mountPath: "x" }, target("slow"), { timeoutMs: 1_500 }));
      expect(error.code).toBe("repository_clone_error");
      expect(error.message).toMatch(/did not finish within/);
    } finally {
      silent.close();
    }
  });

  it("clones several repositories to their mount paths, owned by the given user", async () => {
    createRepository(server, "other");
    const workspace = target("workspace");
    fs.mkdirSync(workspace);
    const owner = process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : null;
    await cloneRepositories(
      [
        { url: server.url("project.git"), token, mountPath: "/workspace/project" },
        { url: server.url("other.git"), token, checkout: { type: "branch", name: "feature" }, mountPath: "nested/deeper/other" },
      ],
      { workspaceDir: workspace, owner },
    );
    expect(fs.readFileSync(path.join(workspace, "project", "README.md"), "utf8")).toBe("hello from main\n");
    expect(fs.readFileSync(path.join(workspace, "nested", "deeper", "other", "feature.txt"), "utf8")).toBe("feature work\n");
    if (owner) {
      for (const p of ["project", "project/.git/config", "project/README.md", "nested", "nested/deeper", "nested/deeper/other/.git/HEAD"]) {
        expect(fs.lstatSync(path.join(workspace, p)).uid, p).toBe(1000);
      }
    }
  });

  it("refuses overlapping mount paths before cloning anything", async () => {
    const workspace = target("overlap");
    fs.mkdirSync(workspace);
    const before = server.requests.length;
    const error = await failure(
      cloneRepositories(
        [
          { url: server.url("project.git"), token, mountPath: "/workspace/a" },
          { url: server.url("other.git"), token, mountPath: "/workspace/a/b" },
        ],
        { workspaceDir: workspace },
      ),
    );
    expect(error.message).toMatch(/overlaps/);
    expect(server.requests.length).toBe(before);
  });
});
