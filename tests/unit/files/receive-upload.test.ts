import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { receiveUpload } from "@/lib/files/receive-upload";
import { InMemoryFileStorage } from "@/lib/files/storage/in-memory-file-storage";
import { newId } from "@/lib/ids";

/** An upload's request as fetch would send it: a multipart body and its content type. */
function multipart(parts: [string, string | Blob, string?][]) {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  const request = new Request("http://localhost/v1/files", { method: "POST", body: form });
  return { contentType: request.headers.get("content-type"), body: request.body };
}

/** A hand-written multipart body, for what FormData will not produce (a part without a filename, a raw name). */
function rawMultipart(parts: { headers: string; body: Buffer | string }[]) {
  const boundary = "----oma-test-boundary";
  const chunks = parts.flatMap((part) => [Buffer.from(`--${boundary}\r\n${part.headers}\r\n\r\n`), Buffer.from(part.body), Buffer.from("\r\n")]);
  const body = Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Readable.toWeb(Readable.from([body])) as ReadableStream<Uint8Array> };
}

async function receive(request: { contentType: string | null; body: ReadableStream<Uint8Array> | null }, maxBytes = 1_000_000) {
  const storage = new InMemoryFileStorage();
  const key = newId("file");
  const outcome = await receiveUpload({ ...request, maxBytes, storage, key }).then(
    (received) => ({ received, error: null }),
    (error: unknown) => ({ received: null, error: error as AppError }),
  );
  return { ...outcome, storage, key };
}

describe("receiving an upload", () => {
  it("stores the file part's bytes and reports its name, declared type, first bytes and fields", async () => {
    const bytes = randomBytes(200_000);
    const { received, storage, key } = await receive(multipart([["file", new Blob([bytes], { type: "image/x-test" }), "dir/photo.bin"], ["expires_in_seconds", "3600"]]));
    expect(received).toMatchObject({ filename: "photo.bin", declaredType: "image/x-test", sizeBytes: bytes.length, fields: { expires_in_seconds: "3600" } });
    expect(received!.head.equals(bytes.subarray(0, 512))).toBe(true);
    const stored = Buffer.concat(await Readable.from((await storage.open(key))!).toArray());
    expect(stored.equals(bytes)).toBe(true);
  });

  it("accepts a file part without a filename (named later) and an empty file", async () => {
    const { received } = await receive(rawMultipart([{ headers: 'Content-Disposition: form-data; name="file"', body: "" }]));
    expect(received).toMatchObject({ filename: null, sizeBytes: 0 });
  });

  it("answers 413 past the limit, with nothing stored", async () => {
    const { error, storage } = await receive(multipart([["file", new Blob([randomBytes(100_001)]), "big.bin"]]), 100_000);
    expect([error?.code, error?.message]).toEqual(["payload_too_large", "file: larger than this server's limit of 100000 bytes"]);
    expect(storage.keys()).toEqual([]);
  });

  it("accepts a file of exactly the limit", async () => {
    const { received } = await receive(multipart([["file", new Blob([randomBytes(100_000)]), "edge.bin"]]), 100_000);
    expect(received?.sizeBytes).toBe(100_000);
  });

  it("refuses bad input with a 400 naming the field, with nothing stored", async () => {
    const cases: [ReturnType<typeof rawMultipart> | ReturnType<typeof multipart>, RegExp][] = [
      [multipart([["expires_in_seconds", "3600"]]), /^file: missing/],
      [multipart([["file", new Blob(["x"]), "../../etc/passwd"]]), /^file: .*"\.\."/],
      [rawMultipart([{ headers: 'Content-Disposition: form-data; name="file"; filename="a\u0000b.txt"', body: "x" }]), /^file: .*control characters/],
      [multipart([["file", new Blob(["x"]), `${"n".repeat(300)}.txt`]]), /^file: .*at most 255 bytes/],
      [multipart([["file", new Blob(["x"]), "a.txt"], ["file", new Blob(["y"]), "b.txt"]]), /^file: exactly one file part/],
      [multipart([["file", new Blob(["x"]), "a.txt"], ["purpose", "assistants"]]), /^purpose: unknown form field/],
      [multipart([["attachment", new Blob(["x"]), "a.txt"]]), /^attachment: unexpected file part/],
      [multipart([["file", new Blob(["x"]), "a.txt"], ["expires_in_seconds", "9".repeat(2000)]]), /^expires_in_seconds: too long/],
      [{ contentType: "application/json", body: new Response("{}").body }, /^body: must be multipart\/form-data/],
      [{ contentType: "multipart/form-data; boundary=x", body: null }, /^body: must be multipart\/form-data/],
      [{ contentType: "multipart/form-data; boundary=zzz", body: new Response("not multipart at all").body }, /^body: malformed|^file: missing/],
    ];
    for (const [request, message] of cases) {
      const { error, storage } = await receive(request);
      expect(error, String(message)).toBeInstanceOf(AppError);
      expect([error!.code, error!.message]).toEqual(["invalid_request", expect.stringMatching(message)]);
      expect(storage.keys()).toEqual([]);
    }
  });

  it("keeps nothing when the client goes away midway", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('------b\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n'));
        controller.enqueue(randomBytes(50_000));
        controller.error(new Error("socket hang up"));
      },
    });
    const { error, storage } = await receive({ contentType: "multipart/form-data; boundary=----b", body });
    expect(error?.message).toBe("socket hang up");
    expect(storage.keys()).toEqual([]);
  });
});
