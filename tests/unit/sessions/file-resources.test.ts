import { describe, expect, it } from "vitest";
import { copyFileResources, fileResourcesOf, type TSessionFiles } from "@/lib/harness/file-resources";
import { FakeSandbox } from "@/lib/sandbox/fake/fake-sandbox";
import { defaultFileMountPath, fileMountPath } from "@/lib/sessions/resources/file-mount-path";

const FILE = "file_01KBX0000000000000000000AA";

describe("fileMountPath", () => {
  it("defaults to /workspace/uploads/<file_id>, and resolves a relative path against /workspace", () => {
    expect(fileMountPath(FILE)).toEqual({ path: `/workspace/uploads/${FILE}` });
    expect(fileMountPath(FILE, null)).toEqual({ path: defaultFileMountPath(FILE) });
    expect(fileMountPath(FILE, "data/input.csv")).toEqual({ path: "/workspace/data/input.csv" });
    expect(fileMountPath(FILE, "/workspace//data/./in.csv")).toEqual({ path: "/workspace/data/in.csv" });
  });

  it.each([
    ["", /non-empty/],
    ["/etc/passwd", /under \/workspace\//],
    ["/workspace", /under \/workspace\//],
    ["/workspacefoo/x", /under \/workspace\//],
    ["/mnt/session/uploads/x", /under \/workspace\//],
    ["a/../../etc/x", /\.\./],
    ["a/../b", /\.\./],
    ["a\0b", /NUL/],
    ["a\nb", /control/],
    ["dir/", /ends in \//],
    ["x".repeat(1025), /at most 1024/],
  ])("refuses %#", (mountPath, reason) => {
    const result = fileMountPath(FILE, mountPath);
    expect("error" in result && result.error).toMatch(reason);
  });
});

describe("fileResourcesOf", () => {
  it("keeps the file entries whose mount path is a normalized path under /workspace", () => {
    const good = { type: "file", id: "sesrsc_1", file_id: FILE, mount_path: "/workspace/a.txt", created_at: "x", updated_at: "x" };
    expect(
      fileResourcesOf([
        good,
        { type: "memory_store", memory_store_id: "memstore_1", mount_path: "/mnt/memory/m" },
        { ...good, id: "sesrsc_2", mount_path: "/etc/passwd" },
        { ...good, id: "sesrsc_3", mount_path: "/workspace/../etc/passwd" },
        { type: "file", file_id: FILE, mount_path: "/workspace/no-id" },
      ]),
    ).toEqual([{ id: "sesrsc_1", fileId: FILE, mountPath: "/workspace/a.txt" }]);
  });
});

describe("copyFileResources", () => {
  const files = (resources: Array<{ id: string; fileId: string; mountPath: string }>, bytes: Record<string, Buffer>): TSessionFiles & { reads: string[] } => {
    const reads: string[] = [];
    return {
      reads,
      resources: async () => resources,
      read: async (fileId) => {
        reads.push(fileId);
        return bytes[fileId] ?? null;
      },
    };
  };

  it("copies each file once per sandbox, a new one on a later call, and tells of one that is gone", async () => {
    const sandbox = new FakeSandbox({ id: "fake-1" });
    const copied = new Set<string>();
    const list = [{ id: "sesrsc_1", fileId: "file_a", mountPath: "/workspace/a.bin" }];
    const source = files(list, { file_a: Buffer.from([0, 1, 2, 255]), file_b: Buffer.from("bee") });
    expect(await copyFileResources({ files: source, sandbox, sessionId: "s", copied })).toEqual([]);
    expect(await sandbox.readFile("/workspace/a.bin")).toEqual(Buffer.from([0, 1, 2, 255]));
    // the agent changes its copy: a later call does not overwrite it
    await sandbox.writeFile("/workspace/a.bin", "changed");
    list.push({ id: "sesrsc_2", fileId: "file_b", mountPath: "/workspace/sub/b.txt" }, { id: "sesrsc_3", fileId: "file_gone", mountPath: "/workspace/gone" });
    const notes = await copyFileResources({ files: source, sandbox, sessionId: "s", copied });
    expect(notes).toEqual([expect.stringMatching(/file_gone .*sesrsc_3.*no longer exists/)]);
    expect((await sandbox.readFile("/workspace/a.bin")).toString()).toBe("changed");
    expect((await sandbox.readFile("/workspace/sub/b.txt")).toString()).toBe("bee");
    expect(await copyFileResources({ files: source, sandbox, sessionId: "s", copied })).toEqual([]);
    expect(source.reads).toEqual(["file_a", "file_b", "file_gone"]);
  });
});
