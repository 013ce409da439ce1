import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * The web Request a route handler gets for a Node request, as Next builds it for app routes:
 * - the URL is `http://<host header><req.url>` (the handlers read only its path and query);
 * - every header, a repeated one once per value;
 * - the body, for methods other than GET and HEAD, streamed from the socket as it arrives
 *   (never buffered here: readJsonBody and the file uploads count and limit it themselves);
 * - a signal that aborts when the client goes away before the answer is finished: the event
 *   streams and the work poll stop on it.
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else headers.set(name, value);
  }
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  };
  return new Request(url, init);
}
