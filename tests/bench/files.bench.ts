/**
 * `npm run bench:files`: upload and download speed of the Files API for one large file (100 MB by
 * default) through the official SDK against the real production server (embedded database, files
 * in the directory storage under DATA_DIR), all on this machine. Each round uploads the file,
 * downloads it, checks the bytes came back identical (SHA-256), and deletes it.
 *
 * Also prints the server's peak resident memory before and after the rounds: uploads and
 * downloads are streamed, so it should grow by far less than the file's size. (The SDK itself
 * reads the whole file into memory on the client side before sending it.)
 *
 * Then the memory stores' write path: BENCH_MEMORY_WRITES writes of a 1 kB memory through the SDK,
 * half creating a memory at a new path and half updating one (each write a new immutable version,
 * the update under a `content_sha256` precondition as an agent's write-back makes it), one at a
 * time, with their p50 and p99.
 *
 * Prints figures; never fails. Knobs: BENCH_FILES_MB (100), BENCH_FILES_ROUNDS (3),
 * BENCH_MEMORY_WRITES (400).
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { availableParallelism } from "node:os";
import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { startAppServer } from "@/tests/fixtures/app-server";
import { buildIfStale } from "./api/server";
import { fmt, percentile, printTable, timed } from "./stats";

const MB = Number(process.env.BENCH_FILES_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_FILES_ROUNDS ?? 3);
const SIZE = MB * 1_000_000;
const MEMORY_WRITES = Number(process.env.BENCH_MEMORY_WRITES ?? 400);

/** The server's peak resident set (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  return Number(line?.match(/(\d+)/)?.[1] ?? Number.NaN) / 1024;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

console.log(`bench:files — Node ${process.version}, ${availableParallelism()} cores; one ${MB} MB file, ${ROUNDS} rounds; server and client on this machine`);
buildIfStale();
const bytes = randomBytes(SIZE);
const expected = sha(bytes);
const app = await startAppServer({ env: { FILES_MAX_BYTES: String(SIZE + 1), API_RATE_LIMIT_RPS: "1000000", API_RATE_LIMIT_BURST: "1000000" } });
try {
  const client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0, timeout: 600_000 });
  await client.beta.files.delete((await client.beta.files.upload({ file: await toFile(Buffer.from("warm"), "warm.txt") })).id);
  const rssBefore = peakRssMb(app.pid);
  const uploads: number[] = [];
  const downloads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const file = await toFile(bytes, "large.bin");
    const [uploaded, upMs] = await timed(() => client.beta.files.upload({ file }));
    const [received, downMs] = await timed(async () => new Uint8Array(await (await client.beta.files.download(uploaded.id)).arrayBuffer()));
    if (received.length !== SIZE || sha(received) !== expected) throw new Error(`round ${round + 1}: the download differs from the upload`);
    await client.beta.files.delete(uploaded.id);
    uploads.push(SIZE / 1_000_000 / (upMs / 1000));
    downloads.push(SIZE / 1_000_000 / (downMs / 1000));
    console.log(`  round ${round + 1}: upload ${fmt(upMs, 0)} ms, download ${fmt(downMs, 0)} ms, bytes identical`);
  }
  const rssAfter = peakRssMb(app.pid);
  printTable(
    `Files API through the SDK — one ${MB} MB file (MB/s, 1 MB = 10^6 bytes)`,
    ["direction", "median", "min", "max"],
    [
      ["upload", fmt(percentile(uploads, 50), 0), fmt(Math.min(...uploads), 0), fmt(Math.max(...uploads), 0)],
      ["download", fmt(percentile(downloads, 50), 0), fmt(Math.min(...downloads), 0), fmt(Math.max(...downloads), 0)],
    ],
  );
  console.log(`\nserver peak RSS: ${fmt(rssBefore, 0)} MB before the rounds, ${fmt(rssAfter, 0)} MB after (+${fmt(rssAfter - rssBefore, 0)} MB for a ${MB} MB file)`);

  const store = await client.beta.memoryStores.create({ name: "bench-memory" });
  const text = (i: number) => `note ${i}\n${"x".repeat(1000)}`;
  const creates: number[] = [];
  const updates: number[] = [];
  let memory = await client.beta.memoryStores.memories.create(store.id, { path: "/warm.md", content: text(0) });
  for (let i = 1; i <= MEMORY_WRITES; i++) {
    if (i % 2 === 1) {
      const [, ms] = await timed(() => client.beta.memoryStores.memories.create(store.id, { path: `/notes/${i}.md`, content: text(i) }));
      creates.push(ms);
    } else {
      const [updated, ms] = await timed(() =>
        client.beta.memoryStores.memories.update(memory.id, { memory_store_id: store.id, content: text(i), precondition: { type: "content_sha256", content_sha256: memory.content_sha256 } }),
      );
      memory = updated;
      updates.push(ms);
    }
  }
  const all = [...creates, ...updates];
  printTable(
    `Memory writes through the SDK — ${MEMORY_WRITES} writes of a 1 kB memory, one at a time (ms)`,
    ["write", "count", "p50", "p99", "max"],
    [
      ["create at a new path", String(creates.length), fmt(percentile(creates, 50), 1), fmt(percentile(creates, 99), 1), fmt(Math.max(...creates), 1)],
      ["update (precondition)", String(updates.length), fmt(percentile(updates, 50), 1), fmt(percentile(updates, 99), 1), fmt(Math.max(...updates), 1)],
      ["all", String(all.length), fmt(percentile(all, 50), 1), fmt(percentile(all, 99), 1), fmt(Math.max(...all), 1)],
    ],
  );
} finally {
  await app.stop();
}
