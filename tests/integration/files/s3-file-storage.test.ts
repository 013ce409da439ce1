import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3FileStorage } from "@/lib/files/storage/s3-file-storage";
import { newId } from "@/lib/ids";
import { describeFileStorageContract } from "@/tests/contracts/file-storage.contract";

/**
 * The S3 storage through the official AWS SDK against a local S3-compatible server (s3rver, from
 * npm, on a free port, in a temporary directory): the same contract as the directory and memory
 * storages, and a file larger than one multipart part.
 */
const BUCKET = "oma-files";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }; // s3rver's own pair
let server: S3rver;
let endpoint: string;
let dir: string;
const storages: S3FileStorage[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-s3-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const address = (await server.run()) as AddressInfo;
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  storages.forEach((storage) => storage.close());
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function s3Storage(prefix: string): S3FileStorage {
  const storage = new S3FileStorage({ bucket: BUCKET, prefix, region: "us-east-1", endpoint, forcePathStyle: true }, { credentials });
  storages.push(storage);
  return storage;
}

/** The keys under `prefix`, listed through the S3 API itself. */
async function keysUnder(prefix: string): Promise<string[]> {
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials });
  try {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key!.slice(prefix.length));
  } finally {
    client.destroy();
  }
}

describeFileStorageContract("S3 (s3rver)", async () => {
  const prefix = `contract/${newId("file")}/`; // each test its own prefix, so leftovers of one are not another's
  return { storage: s3Storage(prefix), storedKeys: () => keysUnder(prefix) };
});

describe("the S3 storage with files larger than one part", () => {
  it("streams a 12 MiB file up in parts and back unchanged", async () => {
    const storage = s3Storage("large/");
    const key = newId("file");
    const bytes = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32LE(i, i);
    const chunks = Array.from({ length: 12 }, (_, i) => bytes.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    expect(await storage.put(key, Readable.from(chunks))).toEqual({ sizeBytes: bytes.length });
    const back: Buffer[] = [];
    for await (const chunk of (await storage.open(key))!) back.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(back).equals(bytes)).toBe(true);
    await storage.remove(key);
    expect(await keysUnder("large/")).toEqual([]);
  });
});
