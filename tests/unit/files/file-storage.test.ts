import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectoryFileStorage } from "@/lib/files/storage/directory-file-storage";
import { InMemoryFileStorage } from "@/lib/files/storage/in-memory-file-storage";
import { describeFileStorageContract } from "@/tests/contracts/file-storage.contract";

/** The storage contract on both implementations: memory, and a directory in a temporary folder. */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir`, temporary ones included, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describeFileStorageContract("in-memory", async () => {
  const storage = new InMemoryFileStorage();
  return { storage, storedKeys: async () => storage.keys() };
});

describeFileStorageContract("directory", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-files-"));
  dirs.push(dir);
  const storage = new DirectoryFileStorage(path.join(dir, "files"));
  // everything in the directory, `.incoming/` included: a failed upload leaves no temporary file either
  return { storage, storedKeys: async () => filesUnder(storage.dir) };
});

describe("the directory storage's sweep", () => {
  it("removes temporary files older than the bound, and keeps young ones and stored files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-files-"));
    dirs.push(dir);
    const storage = new DirectoryFileStorage(dir);
    fs.mkdirSync(path.join(dir, ".incoming"));
    fs.writeFileSync(path.join(dir, ".incoming", "file_OLD.abc"), "left by a killed upload");
    fs.writeFileSync(path.join(dir, ".incoming", "file_NEW.def"), "in flight");
    fs.writeFileSync(path.join(dir, "file_STORED"), "stored");
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(path.join(dir, ".incoming", "file_OLD.abc"), old, old);
    expect(await storage.sweepIncoming(3_600_000)).toBe(1);
    expect(filesUnder(dir).sort()).toEqual([path.join(".incoming", "file_NEW.def"), "file_STORED"]);
    expect(await new DirectoryFileStorage(path.join(dir, "never-made")).sweepIncoming(0)).toBe(0);
  });
});
