import "server-only";
import { PassThrough, Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertStorageKey, type FileStorage } from "./file-storage";

export type TS3StorageSettings = {
  bucket: string;
  /** Keys are `<prefix><file id>`; "" to use the bucket's root. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, R2, Ceph…); absent: AWS S3. */
  endpoint?: string;
  /** `http://endpoint/bucket/key` rather than `http://bucket.endpoint/key`, as most S3-compatible servers want. */
  forcePathStyle: boolean;
};

/**
 * Files' bytes in S3 or an S3-compatible object store, through the official AWS SDK (credentials
 * from its default chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role).
 *
 * `put` streams the body through the SDK's multipart `Upload` (parts of 5 MiB held in memory one
 * at a time; a smaller file is one PutObject): an object appears only when the upload completes,
 * and a body that fails aborts the upload, so nothing is stored under the key, not even in part.
 * Decision: checksums are computed only when an operation requires them
 * (`requestChecksumCalculation: WHEN_REQUIRED`), since several S3-compatible servers do not accept
 * the streamed (aws-chunked) checksums the SDK adds by default.
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(
    private readonly settings: TS3StorageSettings,
    clientConfig: S3ClientConfig = {},
  ) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...clientConfig,
    });
  }

  /** Where the bytes are, for the boot line. */
  get description(): string {
    return `s3://${this.settings.bucket}/${this.settings.prefix}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ""}`;
  }

  async put(key: string, body: Readable): Promise<{ sizeBytes: number }> {
    assertStorageKey(key);
    let sizeBytes = 0;
    const counted = new PassThrough();
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    const upload = new Upload({ client: this.client, params: { Bucket: this.settings.bucket, Key: this.keyOf(key), Body: counted }, leavePartsOnError: false });
    const feeding = pipeline(body, counting, counted);
    // the body's failure is the upload's: abort it, so no object (and no part) is left
    feeding.catch(() => void upload.abort().catch(() => {}));
    const [fed, uploaded] = await Promise.allSettled([feeding, upload.done()]);
    if (fed.status === "rejected") throw fed.reason;
    if (uploaded.status === "rejected") throw uploaded.reason;
    return { sizeBytes };
  }

  async open(key: string): Promise<Readable | null> {
    assertStorageKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
      return object.Body instanceof Readable ? object.Body : null;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    assertStorageKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
  }

  close(): void {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    return `${this.settings.prefix}${key}`;
  }
}
