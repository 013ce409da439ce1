import "server-only";
import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "@/lib/errors";
import { openMultipartForm, watchMultipartForm, type TFormEnds } from "@/lib/resource/multipart-form";
import { SNIFF_BYTES } from "./sniff-mime-type";
import type { FileStorage } from "./storage/file-storage";
import { uploadFilename } from "./upload-input";

/** What arrived in an upload's form, once its bytes are stored. */
export type TReceivedUpload = {
  /** The last component of the part's filename; null when it had none. */
  filename: string | null;
  /** The part's own Content-Type, as the client declared it. */
  declaredType: string | undefined;
  /** The first bytes, for sniffing the type. */
  head: Buffer;
  sizeBytes: number;
  /** The form's text fields (only known ones are accepted). */
  fields: Record<string, string>;
};

const FIELDS = new Set(["expires_in_seconds"]);

/**
 * Reads a `multipart/form-data` upload as it streams in (@fastify/busboy parses the form) and
 * streams the `file` part's bytes into `storage` under `key`, counting them on the way: past
 * `maxBytes` the stream fails with a 413 and the storage keeps nothing. Other text fields are
 * collected; unknown ones and a second file are refused with a 400 naming them. On any failure the
 * bytes stored under `key` are removed, and the rest of the request is read and dropped before the
 * error is thrown, so the client, still sending, gets the error response rather than a reset
 * connection (which the SDK would retry). Resolves once the bytes are stored.
 */
export async function receiveUpload(options: {
  contentType: string | null;
  body: ReadableStream<Uint8Array> | null;
  maxBytes: number;
  storage: FileStorage;
  key: string;
}): Promise<TReceivedUpload> {
  const { contentType, maxBytes } = options;
  const { busboy, source } = await openMultipartForm(contentType, options.body, {
    expects: "a `file` part",
    config: {
      preservePath: true, // the whole name reaches uploadFilename, which refuses ".." components
      isPartAFile: (name, _type, filename) => name === "file" || filename !== undefined,
      limits: { files: 1, fields: 8, parts: 9, fieldSize: 1024, fieldNameSize: 100, headerPairs: 20 },
    },
  });

  const received = new Promise<TReceivedUpload>((resolve, reject) => {
    let failure: unknown = null;
    let file: { filename: string | null; declaredType: string | undefined; counter: HeadAndCount; stored: Promise<{ sizeBytes: number }> } | null = null;
    const fields: Record<string, string> = {};
    let ends: TFormEnds = { parsed: false, drained: false };

    const settle = () => {
      if (!ends.drained || (!ends.parsed && !failure)) return;
      const stored = file?.stored ?? Promise.resolve(null);
      stored.then(
        (result) => {
          if (failure) return reject(failure);
          if (!file || !result) return reject(new AppError("invalid_request", "file: missing; send the file in a form part named `file`"));
          resolve({ filename: file.filename, declaredType: file.declaredType, head: file.counter.head(), sizeBytes: result.sizeBytes, fields });
        },
        (error: unknown) => reject(failure ?? error),
      );
    };
    /** The first failure wins: the file's bytes stop, the rest of the request is read and dropped. */
    const fail = (error: unknown) => {
      if (failure) return;
      failure = error;
      file?.counter.destroy(error as Error);
      source.unpipe(busboy);
      source.resume();
    };

    busboy.on("file", (name, stream, rawFilename, _encoding, mimeType) => {
      if (failure) return void stream.resume();
      if (name !== "file") {
        stream.resume();
        return fail(new AppError("invalid_request", `${name}: unexpected file part; the only file part is \`file\``));
      }
      let filename: string | null;
      try {
        filename = uploadFilename(rawFilename as string | undefined);
      } catch (error) {
        stream.resume();
        return fail(error);
      }
      const counter = new HeadAndCount(maxBytes);
      counter.on("error", () => {
        stream.unpipe(counter);
        stream.resume();
      });
      stream.pipe(counter);
      file = { filename, declaredType: mimeType || undefined, counter, stored: options.storage.put(options.key, counter) };
      file.stored.catch(fail);
    });
    ends = watchMultipartForm(busboy, source, {
      fields,
      allowedFields: FIELDS,
      unknownField: (name) => `${name}: unknown form field (the fields are \`file\` and \`expires_in_seconds\`)`,
      tooManyFiles: "file: exactly one file part is accepted",
      fail,
      settle,
    });
    source.pipe(busboy);
  });
  try {
    return await received;
  } catch (error) {
    await options.storage.remove(options.key); // stored before a later part failed
    throw error;
  }
}

/** Passes bytes through, keeping the first SNIFF_BYTES and failing with a 413 past `maxBytes`. */
class HeadAndCount extends Transform {
  private count = 0;
  private readonly first: Buffer[] = [];
  private firstLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  head(): Buffer {
    return Buffer.concat(this.first).subarray(0, SNIFF_BYTES);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.maxBytes) {
      callback(new AppError("payload_too_large", `file: larger than this server's limit of ${this.maxBytes} bytes`, { limitBytes: this.maxBytes }));
      return;
    }
    if (this.firstLength < SNIFF_BYTES) {
      this.first.push(Buffer.from(chunk.subarray(0, SNIFF_BYTES - this.firstLength))); // a copy: the chunk itself is not kept
      this.firstLength += Math.min(chunk.length, SNIFF_BYTES - this.firstLength);
    }
    callback(null, chunk);
  }
}
