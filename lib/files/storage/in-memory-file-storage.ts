import "server-only";
import { Readable } from "node:stream";
import { assertStorageKey, type FileStorage } from "./file-storage";

/** File storage in a Map, for unit tests: the same contract as the directory, nothing on disk. */
export class InMemoryFileStorage implements FileStorage {
  private readonly files = new Map<string, Buffer>();

  async put(key: string, body: Readable): Promise<{ sizeBytes: number }> {
    assertStorageKey(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array)); // rejects when body fails: nothing set
    const bytes = Buffer.concat(chunks);
    this.files.set(key, bytes);
    return { sizeBytes: bytes.length };
  }

  async open(key: string): Promise<Readable | null> {
    assertStorageKey(key);
    const bytes = this.files.get(key);
    return bytes ? Readable.from([bytes]) : null;
  }

  async remove(key: string): Promise<void> {
    assertStorageKey(key);
    this.files.delete(key);
  }

  /** The keys stored, for tests. */
  keys(): string[] {
    return [...this.files.keys()];
  }
}
