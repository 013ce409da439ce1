import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** Below this many bytes an answer is sent as it is: gzip's framing and a zlib stream cost more than they save. */
export const GZIP_MIN_BYTES = 1024;

/**
 * Whether a request's answer may be gzipped: a read (`GET`) whose client accepts gzip
 * (`accept-encoding`, a `q=0` refusing it). Decision: the API's writes answer with the object
 * written or the events sent, a few hundred bytes; its reads can be pages of a long list.
 */
export function mayGzip(method: string | undefined, acceptEncoding: string | undefined): boolean {
  if (method !== "GET" || !acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * A JSON answer's bytes, whole (the handlers build it whole), gzipped when it may be and is at
 * least `GZIP_MIN_BYTES`. Compressed on libuv's thread pool, not on the event loop.
 */
export async function jsonAnswerBody(response: Response, gzipAllowed: boolean): Promise<{ body: Buffer; gzipped: boolean }> {
  const body = Buffer.from(await response.arrayBuffer());
  if (!gzipAllowed || body.length < GZIP_MIN_BYTES) return { body, gzipped: false };
  return { body: await gzipAsync(body), gzipped: true };
}
