import { randomBytes } from "node:crypto";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileResources } from "@/lib/harness/file-resources";
import { InMemorySessionMemory } from "@/lib/harness/in-memory-session-memory";
import type { TMemoryMount } from "@/lib/harness/memory-mounts";
import { withMemoryMounted } from "@/lib/harness/memory-sync";
import { SandboxPool } from "@/lib/harness/sandbox-pool";
import { skillFilesOf } from "@/lib/harness/skills-prompt";
import type { Sandbox } from "@/lib/sandbox/types";
import { VercelSandboxProvider, type VercelSandbox } from "@/lib/sandbox/vercel";
import { VercelWorkspaces } from "@/lib/sandbox/vercel/vercel-workspace";
import { LISTING_LIMITS } from "@/lib/sessions/workspace/session-workspace";
import { zipWorkspace } from "@/lib/sessions/workspace/zip-workspace";
import { executeTool } from "@/lib/tools/registry";
import { FakeVercelApi } from "@/tests/fixtures/vercel-api";

/**
 * What a session on a Vercel sandbox gets beside commands, through the recorded stand-in of
 * Vercel's API (tests/fixtures/vercel-api): memory stores at /mnt/memory/<name> with write-back
 * and read-only stores rolled back, the agent's skills and the session's files written in, and the
 * workspace panel's reads from another process's point of view (by the session's tag).
 */

const TOKEN = `vercel_token_${randomBytes(12).toString("hex")}`;
const CREDENTIALS = { token: TOKEN, teamId: "team_parts", projectId: "prj_parts" };

const mount = (over: Partial<TMemoryMount>): TMemoryMount => ({
  storeId: "memstore_notes",
  name: "notes",
  mountPath: "/mnt/memory/notes",
  readOnly: false,
  storeName: "Notes",
  description: "",
  instructions: null,
  ...over,
});
const NOTES = mount({});
const POLICIES = mount({ storeId: "memstore_policies", name: "policies", mountPath: "/mnt/memory/policies", readOnly: true, storeName: "Policies" });

let api: FakeVercelApi;
let provider: VercelSandboxProvider;

beforeAll(async () => {
  api = await FakeVercelApi.start(CREDENTIALS);
  provider = new VercelSandboxProvider({ credentials: CREDENTIALS, fetch: api.fetch, idleMs: 3_600_000 });
});
afterAll(async () => {
  await provider?.shutdown();
  await api?.close();
});

const sh = async (sandbox: Sandbox, command: string) => sandbox.exec(command);
const bash = (sandbox: Sandbox, command: string) => executeTool(sandbox, "bash", { command });
const requestsSince = (start: number) => api.requests.slice(start);
const fileWrites = (start: number) => requestsSince(start).filter((r) => r.method === "POST" && r.path.endsWith("/fs/write"));
const fileReads = (start: number) => requestsSince(start).filter((r) => r.method === "POST" && r.path.endsWith("/fs/read"));

describe("memory stores in a Vercel sandbox", () => {
  let sandbox: Sandbox;
  const memory = new InMemorySessionMemory();
  const call = (run: () => Promise<{ content: string; isError: boolean }>) => withMemoryMounted({ memory, sandbox, sessionId: "sesn_vmem", mounts: [NOTES, POLICIES] }, run);

  beforeAll(async () => {
    memory.set("memstore_notes", "/plan.md", "ship on monday");
    memory.set("memstore_notes", "/old/stale.md", "stale");
    memory.set("memstore_policies", "/rules.md", "be kind");
    sandbox = await provider.provision({ sessionId: "sesn_vmem", memoryMounts: [{ name: "notes", readOnly: false }, { name: "policies", readOnly: true }] });
  });

  it("mounts each store at /mnt/memory/<name> and saves what a call changed as the session's versions", async () => {
    const result = await call(async () => {
      const seen = await bash(sandbox, "cat /mnt/memory/notes/plan.md /mnt/memory/policies/rules.md && ls -R /mnt/memory/notes");
      expect(seen.content).toContain("ship on monday");
      expect(seen.content).toContain("be kind");
      expect(seen.content).toContain("stale.md");
      return bash(sandbox, "cd /mnt/memory/notes && echo 'ship on tuesday' > plan.md && rm -r old && mkdir -p ideas && echo 'a new idea' > ideas/one.md");
    });
    expect(result.isError).toBe(false);
    expect(result.content).not.toContain("[memory]");
    expect(memory.get("memstore_notes", "/plan.md")).toBe("ship on tuesday\n");
    expect(memory.get("memstore_notes", "/ideas/one.md")).toBe("a new idea\n");
    expect(memory.get("memstore_notes", "/old/stale.md")).toBeUndefined();
    expect(memory.writes.map((w) => [w.sessionId, w.change.type, w.change.path])).toEqual([
      ["sesn_vmem", "delete", "/old/stale.md"],
      ["sesn_vmem", "put", "/plan.md"],
      ["sesn_vmem", "put", "/ideas/one.md"],
    ]);
  });

  it("sends only what changed: an untouched call neither uploads nor fetches a memory", async () => {
    const start = api.requests.length;
    const result = await call(() => bash(sandbox, "true"));
    expect(result.content).not.toContain("[memory]");
    expect(fileWrites(start)).toEqual([]);
    expect(fileReads(start)).toEqual([]);

    memory.set("memstore_notes", "/plan.md", "ship on wednesday"); // someone else, between calls
    const next = api.requests.length;
    await call(async () => {
      expect((await bash(sandbox, "cat /mnt/memory/notes/plan.md")).content).toContain("ship on wednesday");
      return bash(sandbox, "echo later >> /mnt/memory/notes/ideas/one.md");
    });
    expect(fileWrites(next).flatMap((r) => (r.body as { files: Array<{ path: string }> }).files.map((f) => f.path))).toEqual(["mnt/memory/notes/plan.md"]);
    expect(fileReads(next).map((r) => (r.body as { path: string }).path)).toEqual(["/mnt/memory/notes/ideas/one.md"]);
    expect(memory.get("memstore_notes", "/ideas/one.md")).toBe("a new idea\nlater\n");
  });

  it("keeps the other writer's version and says so when a memory changed meanwhile", async () => {
    const result = await call(async () => {
      memory.set("memstore_notes", "/plan.md", "theirs");
      return bash(sandbox, "echo mine > /mnt/memory/notes/plan.md");
    });
    expect(memory.get("memstore_notes", "/plan.md")).toBe("theirs");
    expect(result.content).toContain(
      "[memory] memory /plan.md in Notes (/mnt/memory/notes/plan.md) was changed by someone else meanwhile; your write was not saved: read it again.",
    );
  });

  it("refuses ordinary writes to a read-only store, and rolls back and reports even a write made with sudo", async () => {
    const plain = await call(() => bash(sandbox, "echo mine > /mnt/memory/policies/rules.md"));
    expect(plain.content).toMatch(/Permission denied/);
    expect(plain.content).not.toContain("[memory]");

    const tool = await call(() => executeTool(sandbox, "write", { file_path: "/mnt/memory/policies/rules.md", content: "mine" }));
    expect(tool.isError).toBe(true);
    expect(tool.content).toContain("/mnt/memory/policies is a read-only memory store");

    // what the sandbox user could do with sudo: make it writable, then change, add and remove files
    const forced = await call(() => bash(sandbox, "cd /mnt/memory/policies && chmod -R u+w . && echo mine > rules.md && echo extra > extra.md"));
    expect(forced.content).toContain(
      "[memory] /mnt/memory/policies is a read-only memory store: your changes there (/rules.md, /extra.md) were not saved and have been undone.",
    );
    expect(memory.get("memstore_policies", "/rules.md")).toBe("be kind");
    expect(memory.writes.filter((w) => w.storeId === "memstore_policies")).toEqual([]);
    expect((await sh(sandbox, "cat /mnt/memory/policies/rules.md; ls /mnt/memory/policies; echo x > /mnt/memory/policies/rules.md")).stdout).toBe("be kindrules.md\n");
  });

  it("reads and writes memory files with the file tools, and refuses an unknown store", async () => {
    const result = await call(async () => {
      expect((await executeTool(sandbox, "read", { file_path: "/mnt/memory/policies/rules.md" })).content).toContain("be kind");
      return executeTool(sandbox, "write", { file_path: "/mnt/memory/notes/from-tool.md", content: "written by the tool" });
    });
    expect(result.isError).toBe(false);
    expect(memory.get("memstore_notes", "/from-tool.md")).toBe("written by the tool");
    await expect(sandbox.readFile("/mnt/memory/other/x.md")).rejects.toMatchObject({ code: "not_found" });
  });

  it("reports what cannot be a memory and does not take it for a deletion", async () => {
    const result = await call(() => bash(sandbox, "cd /mnt/memory/notes && ln -s /etc/hostname link.md && head -c 102401 /dev/zero | tr '\\0' a > big.md && printf '\\xff\\xfe' > bin.md"));
    expect(result.content).toContain("[memory] /mnt/memory/notes/link.md was not saved to memory: a symbolic link is not a memory.");
    expect(result.content).toContain("[memory] /mnt/memory/notes/big.md was not saved to memory: 102401 bytes is over the limit of 102400 bytes.");
    expect(result.content).toContain("[memory] /mnt/memory/notes/bin.md was not saved to memory: not UTF-8 text.");
    expect(memory.get("memstore_notes", "/plan.md")).toBe("theirs");
  });

  it("mounts a store added to the running session and deletes one taken away; refuses a repository added", async () => {
    const kept = [{ name: "notes", readOnly: false }, { name: "policies", readOnly: true }];
    await sandbox.attach({ memoryMounts: [...kept, { name: "later", readOnly: false }], repositories: [] });
    await sandbox.writeMount("later", new Map([["found.md", "added mid-session"]]));
    expect((await sh(sandbox, "cat /mnt/memory/later/found.md")).stdout).toBe("added mid-session");
    await sandbox.attach({ memoryMounts: kept, repositories: [] });
    expect((await sh(sandbox, "test -e /mnt/memory/later && echo there || echo gone")).stdout.trim()).toBe("gone");
    await expect(sandbox.writeMount("later", new Map())).rejects.toMatchObject({ code: "not_found" });
    expect((await sh(sandbox, "cat /mnt/memory/notes/plan.md")).exitCode).toBe(0);
    await expect(
      sandbox.attach({ memoryMounts: kept, repositories: [{ url: "https://github.com/example/repo", mountPath: "/workspace/repo", checkout: null } as never] }),
    ).rejects.toThrow(/repositories cannot be added/);
  });

  it("refuses a memory mount name that is not one safe path segment", async () => {
    await expect(provider.provision({ sessionId: "sesn_badmount", memoryMounts: [{ name: "../etc", readOnly: false }] })).rejects.toMatchObject({ code: "provision_failed" });
  });
});

describe("skills and file resources in a Vercel sandbox", () => {
  it("writes the agent's skills under /workspace/.skills/<name>/ when the sandbox is provisioned", async () => {
    const skills = [{ name: "greeter", description: "Greets", files: [{ path: "SKILL.md", content: Buffer.from("---\nname: greeter\n---\nSay hi.\n") }, { path: "scripts/hello.sh", content: Buffer.from("echo hello\n") }] }];
    const pool = new SandboxPool(provider, { plan: async () => ({ environment: null, options: {}, secrets: [], files: skillFilesOf(skills) }) });
    try {
      const sandbox = await pool.get("sesn_vskills");
      const result = await sandbox.exec("cat /workspace/.skills/greeter/SKILL.md && bash /workspace/.skills/greeter/scripts/hello.sh");
      expect(result.stdout).toBe("---\nname: greeter\n---\nSay hi.\nhello\n");
    } finally {
      await pool.destroyAll();
    }
  });

  it("copies the session's file resources to their mount paths before a tool call, once per sandbox", async () => {
    const sandbox = await provider.provision({ sessionId: "sesn_vfiles" });
    const files = {
      resources: async () => [
        { id: "sesrsc_a", fileId: "file_a", mountPath: "/workspace/data/input.csv" },
        { id: "sesrsc_b", fileId: "file_gone", mountPath: "/workspace/uploads/file_gone" },
      ],
      read: async (fileId: string) => (fileId === "file_a" ? Buffer.from("a,b\n1,2\n") : null),
    };
    const copied = new Set<string>();
    const notes = await copyFileResources({ files, sandbox, sessionId: "sesn_vfiles", copied });
    expect(notes).toEqual(["The file file_gone (resource sesrsc_b) was not copied to /workspace/uploads/file_gone: the file no longer exists."]);
    expect((await sandbox.exec("cat /workspace/data/input.csv")).stdout).toBe("a,b\n1,2\n");
    await sandbox.exec("echo changed > /workspace/data/input.csv");
    expect(await copyFileResources({ files, sandbox, sessionId: "sesn_vfiles", copied })).toEqual([]);
    expect((await sandbox.readFile("data/input.csv")).toString()).toBe("changed\n");
    await sandbox.destroy();
  });
});

describe("the workspace panel on a Vercel sandbox", () => {
  const workspaces = () => new VercelWorkspaces({ credentials: CREDENTIALS, fetch: api.fetch });

  it("finds the session's live VM by its tag, lists, reads and zips its workspace, and refuses links out", async () => {
    const sandbox = await provider.provision({ sessionId: "sesn_vpanel" });
    await provider.provision({ sessionId: "sesn_vother" });
    await sandbox.exec("mkdir -p src/deep && echo hello > src/a.txt && echo deep > src/deep/b.txt && ln -s /etc/hostname out && printf '\\x89PNG\\0' > pic.png");

    expect(await workspaces().find("sesn_vnone")).toBeNull();
    const reader = (await workspaces().find("sesn_vpanel"))!;
    expect(reader).not.toBeNull();
    expect(await reader.list(LISTING_LIMITS)).toEqual({
      entries: [
        { path: "out", type: "link", size: 0 },
        { path: "pic.png", type: "file", size: 5 },
        { path: "src", type: "directory", size: 0 },
        { path: "src/a.txt", type: "file", size: 6 },
        { path: "src/deep", type: "directory", size: 0 },
        { path: "src/deep/b.txt", type: "file", size: 5 },
      ],
      truncated: false,
    });
    expect(await reader.list({ maxEntries: 3, maxDepth: 1 })).toEqual({
      entries: [
        { path: "out", type: "link", size: 0 },
        { path: "pic.png", type: "file", size: 5 },
        { path: "src", type: "directory", size: 0 },
      ],
      truncated: true,
    });
    expect((await reader.read("src/a.txt", 100)).toString()).toBe("hello\n");
    await expect(reader.read("src/a.txt", 2)).rejects.toMatchObject({ code: "too_large" });
    await expect(reader.read("out", 100)).rejects.toMatchObject({ code: "not_a_file" });
    await expect(reader.read("missing.txt", 100)).rejects.toMatchObject({ code: "not_found" });
    await expect(reader.read("src", 100)).rejects.toMatchObject({ code: "not_a_file" });

    const zip = unzipSync(new Uint8Array(await new Response(zipWorkspace(reader)).arrayBuffer()));
    expect(Object.keys(zip).sort()).toEqual(["pic.png", "src/a.txt", "src/deep/b.txt"]);
    expect(Buffer.from(zip["src/deep/b.txt"]!).toString()).toBe("deep\n");

    // put away while idle (snapshotted: the VM is stopped), then destroyed: no live sandbox
    expect(await provider.snapshotIdle(Date.now() + 3_600_000)).toContain((sandbox as VercelSandbox).id);
    expect(await workspaces().find("sesn_vpanel")).toBeNull();
    await sandbox.exec("true"); // restored from the snapshot, with the session's tag again
    expect((await (await workspaces().find("sesn_vpanel"))!.read("src/a.txt", 100)).toString()).toBe("hello\n");
    await sandbox.destroy();
    expect(await workspaces().find("sesn_vpanel")).toBeNull();
  });
});
