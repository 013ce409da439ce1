import "server-only";
import type { IncomingMessage } from "node:http";

/**
 * Which answers the server sends uncompressed: those to the API's writes (`POST`, `DELETE`… under
 * `/v1/`). Decision: Next gzips every response whose client accepts it, and a route handler's
 * length is not known to it, so its 1 KB threshold never applies; a write's answer is a few hundred
 * bytes (the object written, the events sent), and a new zlib stream for each cost about 0.7 ms of
 * CPU on the path of every send (measured with `npm run bench:api`, a CPU profile of the server).
 * Reads keep compression: a page of a list can be large. Event streams are never compressed.
 * Since server.ts serves the /v1 routes itself (lib/api/dispatch, never compressed), this now
 * concerns only the /v1 requests Next still answers: those without a route or method.
 */
export function answersUncompressed(request: Pick<IncomingMessage, "method" | "url">): boolean {
  return request.method !== "GET" && request.method !== "HEAD" && (request.url?.startsWith("/v1/") ?? false);
}

/** Drops the request's `accept-encoding` when its answer goes uncompressed (see above). */
export function leaveUncompressed(request: IncomingMessage): void {
  if (answersUncompressed(request)) delete request.headers["accept-encoding"];
}
