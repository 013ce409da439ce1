import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { FileStorage } from "@/lib/files/storage/file-storage";
import { newId } from "@/lib/ids";

/**
 * The behaviour every FileStorage must have. Run against the directory (in a temporary directory)
 * and memory. `storedKeys()` lists what the implementation holds, by its own means (the files in
 * the directory, the map's keys), so a test sees that a failed upload left nothing anywhere.
 */
export type TFileStorageHarness = { storage: FileStorage; storedKeys(): Promise<string[]> };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A stream of `chunks`, then a failure (a client that went away, a size limit). */
function failingAfter(chunks: Buffer[], error: Error): Readable {
  return Readable.from(
    (async function* () {
      for (const chunk of chunks) yield chunk;
      throw error;
    })(),
  );
}

export function describeFileStorageContract(name: string, harness: () => Promise<TFileStorageHarness>) {
  describe(`FileStorage contract: ${name}`, () => {
    it("stores bytes under a key and streams them back unchanged, chunk boundaries notwithstanding", async () => {
      const { storage } = await harness();
      const key = newId("file");
      const bytes = randomBytes(300_000);
      const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 70_000), bytes.subarray(70_000)];
      expect(await storage.put(key, Readable.from(chunks))).toEqual({ sizeBytes: bytes.length });
      expect((await readAll((await storage.open(key))!)).equals(bytes)).toBe(true);
      expect((await readAll((await storage.open(key))!)).equals(bytes)).toBe(true); // read twice
    });

    it("stores an empty file", async () => {
      const { storage } = await harness();
      const key = newId("file");
      expect(await storage.put(key, Readable.from([]))).toEqual({ sizeBytes: 0 });
      expect((await readAll((await storage.open(key))!)).length).toBe(0);
    });

    it("answers null for a key with nothing stored", async () => {
      const { storage } = await harness();
      expect(await storage.open(newId("file"))).toBeNull();
    });

    it("keeps nothing, not even in part, when the bytes fail midway, and rejects with their error", async () => {
      const { storage, storedKeys } = await harness();
      const key = newId("file");
      const failure = new Error("client went away");
      await expect(storage.put(key, failingAfter([randomBytes(100_000), randomBytes(100_000)], failure))).rejects.toBe(failure);
      expect(await storage.open(key)).toBeNull();
      expect(await storedKeys()).toEqual([]);
    });

    it("does not show a file until its upload has finished", async () => {
      const { storage } = await harness();
      const key = newId("file");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const body = Readable.from(
        (async function* () {
          yield Buffer.from("first half ");
          await gate;
          yield Buffer.from("second half");
        })(),
      );
      const put = storage.put(key, body);
      await new Promise((resolve) => setImmediate(resolve));
      expect(await storage.open(key)).toBeNull();
      release();
      await put;
      expect((await readAll((await storage.open(key))!)).toString()).toBe("first half second half");
    });

    it("removes what is stored, and removing nothing is not an error", async () => {
      const { storage, storedKeys } = await harness();
      const keep = newId("file");
      const gone = newId("file");
      await storage.put(keep, Readable.from([Buffer.from("keep")]));
      await storage.put(gone, Readable.from([Buffer.from("gone")]));
      await storage.remove(gone);
      await storage.remove(gone);
      await storage.remove(newId("file"));
      expect(await storage.open(gone)).toBeNull();
      expect(await storedKeys()).toEqual([keep]);
    });

    it("refuses a key that could name something outside the storage", async () => {
      const { storage } = await harness();
      for (const key of ["../escape", "a/b", "", ".", "file_\u0000"]) {
        await expect(storage.put(key, Readable.from([Buffer.from("x")]))).rejects.toThrow(/invalid file storage key/);
        await expect(storage.open(key)).rejects.toThrow(/invalid file storage key/);
      }
    });
  });
}
