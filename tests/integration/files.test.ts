import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Anthropic, { toFile } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { createTeam } from "@/lib/teams/create-team";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { collect, RFC3339 } from "@/tests/fixtures/sdk-client";

/**
 * The Files API through the official SDK against one real server on PostgreSQL, with a small
 * FILES_MAX_BYTES: upload, metadata, list (pages, ids, scope), a binary download that comes back
 * byte for byte, sniffed types, expiry, delete, the size limit and bad input (each checked in the
 * storage directory itself: nothing stored, no temporary file left), and team isolation.
 */
const available = await requirePostgres("the Files API suite");

const LIMIT = 8 * 1024 * 1024;
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
type TApiError = InstanceType<typeof Anthropic.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TApiError);
const errorBody = (error: TApiError | null) => (error?.error as { error?: { message?: string; details?: unknown } } | undefined)?.error;

describe.runIf(available)("files through the official SDK", () => {
  let app: AppServer;
  let db: Database;
  let client: Anthropic;
  let stranger: Anthropic;
  let storageDir: string;

  /** Every file in the storage directory, temporary uploads included. */
  const stored = () =>
    fs.existsSync(storageDir)
      ? fs.readdirSync(storageDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(storageDir, path.join(e.parentPath, e.name))).sort()
      : [];

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres", env: { FILES_MAX_BYTES: String(LIMIT) } });
    storageDir = path.join(app.dataDir, "files");
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    const team = await createTeam(db.prisma, { slug: "file-strangers", name: "Strangers" });
    client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    stranger = new Anthropic({ apiKey: (await createApiKey(db.prisma, { teamId: team.id, name: "test" })).key, baseURL: app.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it("uploads a binary file of a few MB, describes it, lists it and downloads it byte for byte", async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const file = await client.beta.files.upload({ file: await toFile(bytes, "nested/dir/archive.bin") });
    expect(file).toEqual({
      id: expect.stringMatching(/^file_[0-9A-Z]{26}$/),
      type: "file",
      filename: "archive.bin",
      mime_type: "application/octet-stream",
      size_bytes: bytes.length,
      created_at: expect.stringMatching(RFC3339),
      downloadable: true,
      expires_at: null,
      scope: null,
    });
    expect(await client.beta.files.retrieveMetadata(file.id)).toEqual(file);
    expect(stored()).toEqual([file.id]);
    expect(fs.statSync(path.join(storageDir, file.id)).size).toBe(bytes.length);

    const response = await client.beta.files.download(file.id);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await client.beta.files.list()).data.map((f) => f.id)).toContain(file.id);
  });

  it("sniffs the type from the bytes, and names a file without a name after its type", async () => {
    const png = await client.beta.files.upload({ file: await toFile(Buffer.concat([PNG_HEAD, randomBytes(100)]), "photo.dat") });
    expect([png.filename, png.mime_type]).toEqual(["photo.dat", "image/png"]);
    const text = await client.beta.files.upload({ file: await toFile(Buffer.from("plain words\n"), "") });
    expect([text.filename, text.mime_type]).toEqual(["unnamed.txt", "text/plain"]);
    const json = await client.beta.files.upload({ file: await toFile(Buffer.from('{"a":1}'), "data.json") });
    expect(json.mime_type).toBe("application/json");
    const download = await client.beta.files.download(png.id);
    expect(download.headers.get("content-type")).toBe("image/png");
  });

  it("lists in pages, by ids and by scope", async () => {
    const made = [];
    for (const name of ["one.txt", "two.txt", "three.txt"]) made.push(await client.beta.files.upload({ file: await toFile(Buffer.from(name), name) }));
    const all = await collect(client.beta.files.list({ limit: 2 }));
    const ids = all.map((f) => f.id);
    expect(ids.slice(0, 3)).toEqual(made.map((f) => f.id).reverse()); // newest first
    expect(new Set(ids).size).toBe(ids.length);
    const page = await client.beta.files.list({ limit: 2 });
    expect([page.data.length, typeof page.next_page]).toEqual([2, "string"]);

    const byIds = await client.beta.files.list({ ids: [made[0]!.id, made[2]!.id, "file_00000000000000000000000000", "nonsense"] });
    expect(byIds.data.map((f) => f.id).sort()).toEqual([made[0]!.id, made[2]!.id].sort());
    expect(byIds.next_page ?? null).toBeNull();
    expect((await client.beta.files.list({ scope_id: "sesn_00000000000000000000000000" })).data).toEqual([]);
    const combined = await failure(client.beta.files.list({ ids: [made[0]!.id], limit: 5 }));
    expect([combined?.status, errorBody(combined)?.message]).toEqual([400, "ids: cannot be combined with limit or page"]);
  });

  it("sets expires_at from expires_in_seconds, and stops serving an expired file's bytes", async () => {
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from("short-lived"), "brief.txt"), expires_in_seconds: 3600 });
    expect(new Date(file.expires_at!).getTime() - new Date(file.created_at).getTime()).toBe(3_600_000);
    await db.prisma.file.update({ where: { id: file.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.beta.files.retrieveMetadata(file.id)).downloadable).toBe(false);
    const expired = await failure(client.beta.files.download(file.id));
    expect([expired?.status, errorBody(expired)?.details]).toEqual([404, { error_code: "file_expired" }]);
    expect(stored()).not.toContain(file.id); // its bytes are gone too
  });

  it("refuses a file over FILES_MAX_BYTES with a 413, storing nothing and leaving no partial file", async () => {
    const before = stored();
    const count = (await collect(client.beta.files.list())).length;
    const error = await failure(client.beta.files.upload({ file: await toFile(randomBytes(LIMIT + 1), "too-big.bin") }));
    expect([error?.status, errorBody(error)?.message]).toEqual([413, `file: larger than this server's limit of ${LIMIT} bytes`]);
    expect(stored()).toEqual(before);
    expect((await collect(client.beta.files.list())).length).toBe(count);
    // a file of exactly the limit is accepted
    const edge = await client.beta.files.upload({ file: await toFile(randomBytes(LIMIT), "edge.bin") });
    expect(edge.size_bytes).toBe(LIMIT);
    await client.beta.files.delete(edge.id);
  });

  it("refuses bad input with a 400 naming the field, storing nothing", async () => {
    const before = stored();
    const count = (await collect(client.beta.files.list())).length;
    const upload = async (name: string, expires?: number) =>
      client.beta.files.upload({ file: await toFile(Buffer.from("x"), name), ...(expires === undefined ? {} : { expires_in_seconds: expires }) });
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => upload("../../etc/passwd"), /^file: .*"\.\."/],
      [() => upload("bad\u0000name.txt"), /^file: .*control characters/],
      [() => upload(`${"n".repeat(300)}.txt`), /^file: .*at most 255 bytes/],
      [() => upload("a.txt", 60), /^expires_in_seconds: must be an integer between 3600 and 7776000/],
      [() => upload("a.txt", 7_776_001), /^expires_in_seconds: /],
    ];
    for (const [request, message] of cases) {
      const error = await failure(request());
      expect([error?.status, errorBody(error)?.message], String(message)).toEqual([400, expect.stringMatching(message)]);
    }
    const noFile = new FormData();
    noFile.append("expires_in_seconds", "3600");
    const missing = await fetch(`${app.url}/v1/files`, { method: "POST", headers: { "x-api-key": app.apiKey }, body: noFile });
    expect([missing.status, ((await missing.json()) as { error: { message: string } }).error.message]).toEqual([400, "file: missing; send the file in a form part named `file`"]);
    const json = await fetch(`${app.url}/v1/files`, { method: "POST", headers: { "x-api-key": app.apiKey, "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
    expect(stored()).toEqual(before);
    expect((await collect(client.beta.files.list())).length).toBe(count);
  });

  it("deletes a file: its metadata and bytes are gone", async () => {
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from("delete me"), "doomed.txt") });
    expect(stored()).toContain(file.id);
    expect(await client.beta.files.delete(file.id)).toEqual({ id: file.id, type: "file_deleted" });
    expect(stored()).not.toContain(file.id);
    for (const gone of [() => client.beta.files.retrieveMetadata(file.id), () => client.beta.files.download(file.id), () => client.beta.files.delete(file.id)]) {
      expect((await failure(gone()))?.status).toBe(404);
    }
  });

  it("keeps each team's files to itself: another team's id is a 404", async () => {
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from("ours"), "ours.txt") });
    for (const attempt of [() => stranger.beta.files.retrieveMetadata(file.id), () => stranger.beta.files.download(file.id), () => stranger.beta.files.delete(file.id)]) {
      const error = await failure(attempt());
      expect(error?.status).toBe(404);
    }
    expect((await stranger.beta.files.list()).data).toEqual([]);
    expect((await stranger.beta.files.list({ ids: [file.id] })).data).toEqual([]);
    expect((await client.beta.files.retrieveMetadata(file.id)).id).toBe(file.id); // still there
    const mine = await stranger.beta.files.upload({ file: await toFile(Buffer.from("theirs"), "theirs.txt") });
    expect((await client.beta.files.list({ ids: [mine.id] })).data).toEqual([]);
  });
});
