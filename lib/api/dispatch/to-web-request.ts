import type { IncomingMessage, ServerResponse } from "node:http";
import { PassThrough, Readable } from "node:stream";

/**
 * The web Request a route handler gets for a Node request, as Next builds it for app routes:
 * - the URL is `http://<host header><req.url>` (the handlers read only its path and query);
 * - every header, a repeated one once per value;
 * - the body, for methods other than GET and HEAD, streamed from the socket as it arrives
 *   (never buffered here: readJsonBody and the file uploads count and limit it themselves), and
 *   what the handler leaves unread drained once the answer is sent (`bodyOf`);
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
    ...(hasBody ? { body: bodyOf(req, res), duplex: "half" } : {}),
  };
  return new Request(url, init);
}

/**
 * The request's body as a web stream the handler may read, stop reading or leave. Decision: what it
 * leaves unread (a 413 refuses a body by its declared length before reading it) is read and dropped
 * once the answer is sent, as Node does for a request nobody read: the client's upload completes and
 * it reads the answer. Handing the handler the socket's own stream would not allow that: cancelling
 * it destroys the connection, and a client still uploading gets a reset instead of the 413.
 */
function bodyOf(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  const through = new PassThrough();
  req.pipe(through);
  req.once("error", (error) => through.destroy(error));
  res.once("finish", () => {
    if (req.complete) return;
    req.unpipe(through);
    through.destroy();
    req.resume();
  });
  return Readable.toWeb(through) as ReadableStream<Uint8Array>;
}
