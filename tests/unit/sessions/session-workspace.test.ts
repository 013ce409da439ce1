import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { findWorkspaceDir, listWorkspace, localWorkspaceReader, previewText, readWorkspaceEntry, workspacePath } from "@/lib/sessions/workspace/session-workspace";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-workspace-"));
  dirs.push(dir);
  return dir;
};
const code = (fn: () => unknown) => {
  try {
    fn();
    return "accepted";
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};

describe("the workspace panel's reads", () => {
  it("takes only relative paths inside the workspace", () => {
    expect(workspacePath("src//a.txt")).toBe("src/a.txt");
    expect(workspacePath("./notes.md")).toBe("notes.md");
    for (const bad of [null, "", "/etc/passwd", "../secret", "src/../../x", "a\0b", "x".repeat(5000), "."]) expect(code(() => workspacePath(bad)), String(bad)).toBe("invalid_request");
  });

  it("finds the session's newest workspace, and lists it without following links out", async () => {
    const root = tempDir();
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, "secret.txt"), "not yours");
    fs.mkdirSync(path.join(root, "sesn_A-old"));
    const current = path.join(root, "sesn_A-new");
    fs.mkdirSync(path.join(current, "src"), { recursive: true });
    fs.writeFileSync(path.join(current, "src", "a.txt"), "hello");
    fs.symlinkSync(outside, path.join(current, "escape"));
    fs.mkdirSync(path.join(root, "sesn_B-1"));
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, "sesn_A-old"), past, past);

    expect(await findWorkspaceDir(root, "sesn_A")).toBe(current);
    expect(await findWorkspaceDir(root, "sesn_C")).toBeNull();
    expect(await findWorkspaceDir(path.join(root, "missing"), "sesn_A")).toBeNull();
    expect(await listWorkspace(current)).toEqual({
      entries: [
        { path: "escape", type: "link", size: 0 },
        { path: "src", type: "directory", size: 0 },
        { path: "src/a.txt", type: "file", size: 5 },
      ],
      truncated: false,
    });
    const reader = localWorkspaceReader(current);
    expect((await readWorkspaceEntry(reader, "src/a.txt", 100)).toString()).toBe("hello");
    await expect(readWorkspaceEntry(reader, "escape/secret.txt", 100)).rejects.toMatchObject({ code: "not_found" });
    await expect(readWorkspaceEntry(reader, "src/a.txt", 2)).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("previews UTF-8 text only", () => {
    expect(previewText(Buffer.from("héllo\n"))).toBe("héllo\n");
    expect(previewText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).toBeNull();
    expect(previewText(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
  });
});
