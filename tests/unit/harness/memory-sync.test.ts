import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InMemorySessionMemory } from "@/lib/harness/in-memory-session-memory";
import { memoryMountsOf, memoryPrompt, type TMemoryMount } from "@/lib/harness/memory-mounts";
import { diffMount, withMemoryMounted } from "@/lib/harness/memory-sync";
import { FakeSandbox } from "@/lib/sandbox/fake/fake-sandbox";
import { memoryMountName } from "@/lib/sessions/session-memory-stores";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const doc = (path: string, content: string) => ({ path, content, sha256: sha(content) });
const mount = (over: Partial<TMemoryMount> = {}): TMemoryMount => ({
  storeId: "memstore_a",
  name: "notes",
  mountPath: "/mnt/memory/notes",
  readOnly: false,
  storeName: "Notes",
  description: "",
  instructions: null,
  ...over,
});
const ok = async () => ({ content: "done", isError: false });

describe("diffMount", () => {
  it("finds deletions first, then changes, then new memories, each guarded by the content mounted", () => {
    const before = [doc("/a.md", "A"), doc("/dir/b.md", "B"), doc("/same.md", "S")];
    const after = { files: new Map([["a.md", "A2"], ["same.md", "S"], ["dir", "now a file"]]), refused: [] };
    expect(diffMount(before, after)).toEqual([
      { type: "delete", path: "/dir/b.md", expectedSha256: sha("B") },
      { type: "put", path: "/a.md", content: "A2", expectedSha256: sha("A") },
      { type: "put", path: "/dir", content: "now a file", expectedSha256: null },
    ]);
  });

  it("does not take a refused file (too big, not text) for a deletion", () => {
    const before = [doc("/big.md", "small once")];
    expect(diffMount(before, { files: new Map(), refused: [{ path: "big.md", reason: "too big" }] })).toEqual([]);
  });
});

describe("withMemoryMounted", () => {
  it("mounts the store's memories before the call and saves what the call changed, as the session", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/notes.md", "remember this");
    memory.set("memstore_a", "/old.md", "stale");
    const sandbox = new FakeSandbox({ id: "sbx" });
    const result = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [mount()] }, async () => {
      const files = sandbox.mounts.get("notes")!;
      expect(files.get("notes.md")).toBe("remember this");
      files.set("notes.md", "remember this and that");
      files.set("new/idea.md", "an idea");
      files.delete("old.md");
      return { content: "done", isError: false };
    });
    expect(result).toEqual({ content: "done", isError: false });
    expect(memory.get("memstore_a", "/notes.md")).toBe("remember this and that");
    expect(memory.get("memstore_a", "/new/idea.md")).toBe("an idea");
    expect(memory.get("memstore_a", "/old.md")).toBeUndefined();
    expect(memory.writes.map((w) => [w.sessionId, w.change.type, w.change.path])).toEqual([
      ["sesn_1", "delete", "/old.md"],
      ["sesn_1", "put", "/notes.md"],
      ["sesn_1", "put", "/new/idea.md"],
    ]);
  });

  it("keeps the other writer's version and tells the model when the memory changed meanwhile", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/notes.md", "v1");
    const sandbox = new FakeSandbox({ id: "sbx" });
    const result = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [mount()] }, async () => {
      memory.set("memstore_a", "/notes.md", "v2 by someone else");
      sandbox.mounts.get("notes")!.set("notes.md", "v2 by this session");
      return { content: "done", isError: false };
    });
    expect(memory.get("memstore_a", "/notes.md")).toBe("v2 by someone else");
    expect(result.content).toBe(
      "done\n\n[memory] memory /notes.md in Notes (/mnt/memory/notes/notes.md) was changed by someone else meanwhile; your write was not saved: read it again.",
    );
    expect(memory.writes).toEqual([]);
  });

  it("saves nothing of a read-only mount, and rolls back and reports what a call changed there", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/notes.md", "v1");
    memory.set("memstore_a", "/gone.md", "g");
    const sandbox = new FakeSandbox({ id: "sbx" });
    const readOnly = mount({ readOnly: true });
    const untouched = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [readOnly] }, ok);
    expect(untouched.content).toBe("done");

    const result = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [readOnly] }, async () => {
      const files = sandbox.mounts.get("notes")!;
      files.set("notes.md", "changed");
      files.set("new.md", "added");
      files.delete("gone.md");
      return ok();
    });
    expect(result.content).toBe(
      "done\n\n[memory] /mnt/memory/notes is a read-only memory store: your changes there (/gone.md, /notes.md, /new.md) were not saved and have been undone.",
    );
    expect(memory.get("memstore_a", "/notes.md")).toBe("v1");
    expect(memory.writes).toEqual([]);
    expect(Object.fromEntries(sandbox.mounts.get("notes")!)).toEqual({ "notes.md": "v1", "gone.md": "g" });
  });

  it("reports files that cannot be memories and refused writes, and saves the rest", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/keep.md", "k");
    const sandbox = new FakeSandbox({ id: "sbx" });
    const result = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [mount()] }, async () => {
      const files = sandbox.mounts.get("notes")!;
      files.set("huge.md", "x".repeat(102_401));
      files.set("a/../b.md", "sneaky");
      files.set("fine.md", "fine");
      return ok();
    });
    expect(memory.get("memstore_a", "/fine.md")).toBe("fine");
    expect(memory.get("memstore_a", "/keep.md")).toBe("k");
    expect(result.content).toContain("[memory] /mnt/memory/notes/huge.md was not saved to memory: 102401 bytes is over the limit of 102400 bytes.");
    expect(result.content).toContain("memory /a/../b.md in Notes (/mnt/memory/notes/a/../b.md): your write was not saved: path: must not have . or .. segments");
  });

  it("mounts a store that cannot be read empty, saves nothing of it, and says so", async () => {
    const memory = new InMemorySessionMemory();
    const sandbox = new FakeSandbox({ id: "sbx" });
    const result = await withMemoryMounted({ memory, sandbox, sessionId: "sesn_1", mounts: [mount({ storeId: "memstore_gone" })] }, async () => {
      sandbox.mounts.get("notes")!.set("x.md", "lost");
      return ok();
    });
    expect(result.content).toContain("memory store Notes (/mnt/memory/notes) could not be read (an internal error): it was empty for this call, and nothing written there was saved.");
    expect(memory.writes).toEqual([]);
  });

  it("runs the calls of one sandbox one at a time", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/n.md", "0");
    const sandbox = new FakeSandbox({ id: "sbx" });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withMemoryMounted({ memory, sandbox, sessionId: "s", mounts: [mount()] }, async () => {
      order.push("first start");
      await held;
      order.push("first end");
      return ok();
    });
    const second = withMemoryMounted({ memory, sandbox, sessionId: "s", mounts: [mount()] }, async () => {
      order.push("second");
      return ok();
    });
    await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first start", "first end", "second"]);
  });

  it("turns a sandbox failure while mounting into the call's error, without running the tool", async () => {
    const memory = new InMemorySessionMemory();
    memory.set("memstore_a", "/n.md", "0");
    const sandbox = new FakeSandbox({ id: "sbx" });
    sandbox.kill();
    let ran = false;
    const result = await withMemoryMounted({ memory, sandbox, sessionId: "s", mounts: [mount()] }, async () => {
      ran = true;
      return ok();
    });
    expect(ran).toBe(false);
    expect(result).toMatchObject({ isError: true, errorCode: "sandbox_dead" });
  });
});

describe("memory mounts of a session", () => {
  it("reads the memory_store resources a session keeps, and leaves out any whose mount path is not one safe segment under /mnt/memory", () => {
    const resources = [
      { type: "github_repository", url: "https://example.com/r.git", mount_path: "/workspace/r" },
      { type: "memory_store", memory_store_id: "memstore_a", access: "read_only", mount_path: "/mnt/memory/notes", name: "Notes", description: "d", instructions: "i" },
      { type: "memory_store", memory_store_id: "memstore_b", access: "read_write", mount_path: "/mnt/memory/../../etc", name: "Evil" },
      { type: "memory_store", memory_store_id: "memstore_c", mount_path: "/mnt/memory/prefs" },
      { type: "memory_store", memory_store_id: "memstore_d", mount_path: "/mnt/memory/.." },
    ];
    expect(memoryMountsOf(resources)).toEqual([
      { storeId: "memstore_a", name: "notes", mountPath: "/mnt/memory/notes", readOnly: true, storeName: "Notes", description: "d", instructions: "i" },
      { storeId: "memstore_c", name: "prefs", mountPath: "/mnt/memory/prefs", readOnly: false, storeName: "memstore_c", description: "", instructions: null },
    ]);
  });

  it("tells the model where each store is, whether it can write there, and the instructions", () => {
    const prompt = memoryPrompt([mount({ readOnly: true, description: "What the team knows", instructions: "Check before answering" })]);
    expect(prompt).toContain("## Notes — /mnt/memory/notes (read-only)");
    expect(prompt).toContain("What the team knows");
    expect(prompt).toContain("Instructions: Check before answering");
    expect(memoryPrompt([])).toBeNull();
    // on a self-hosted environment the worker's sync saves writes, on its own cadence and rules
    expect(prompt).toContain("when the tool call ends");
    const hosted = memoryPrompt([mount()], { syncedByWorker: true });
    expect(hosted).toContain("The environment's worker saves what you write there");
    expect(hosted).not.toContain("when the tool call ends");
  });

  it("names a mount after the store, path-safe, or after its id when the name gives nothing usable or is taken", () => {
    expect(memoryMountName("User Preferences!", "memstore_1", new Set())).toBe("user-preferences");
    expect(memoryMountName("../../etc", "memstore_1", new Set())).toBe("etc");
    expect(memoryMountName("Café notes", "memstore_1", new Set())).toBe("cafe-notes");
    expect(memoryMountName("日本語", "memstore_01KBX7", new Set())).toBe("memstore_01KBX7");
    expect(memoryMountName("...", "memstore_1", new Set())).toBe("memstore_1");
    expect(memoryMountName("Notes", "memstore_2", new Set(["notes"]))).toBe("memstore_2");
    expect(memoryMountName("x".repeat(300), "memstore_1", new Set())).toHaveLength(64);
  });
});
