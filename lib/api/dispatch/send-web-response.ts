import type { ServerResponse } from "node:http";
import { log } from "@/lib/log";
import { jsonAnswerBody } from "./json-answer";

/**
 * Headers of the handler's Response that are not passed on, as Next drops them: Node frames the body
 * itself (chunked), and a length or encoding the handler copied from elsewhere could disagree with it.
 */
const FRAMING_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding"]);

/**
 * Writes a route handler's web Response to the Node response: status, headers (each `set-cookie`
 * kept apart), then the body chunk by chunk as the handler yields it. Decisions:
 * - no buffering: an event stream's events leave as they come; its headers leave at once, before
 *   the first event, so the client's `stream()` call returns;
 * - backpressure: when `write` says the socket is full, the next chunk waits for 'drain';
 * - a client that goes away cancels the body, so the handler's stream stops producing;
 * - an error while streaming is logged and the response destroyed (the client sees a cut answer,
 *   never a clean end of a partial one).
 * - a JSON answer (the handlers build it whole) is sent whole, with its length, and gzipped when
 *   `gzipAllowed` and large enough (json-answer.ts); an event stream is never compressed.
 */
export async function sendWebResponse(response: Response, res: ServerResponse, path: string, gzipAllowed = false): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie" && !FRAMING_HEADERS.has(name)) res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  if (response.headers.get("content-type")?.startsWith("application/json")) {
    const { body, gzipped } = await jsonAnswerBody(response, gzipAllowed);
    if (gzipAllowed) res.setHeader("vary", "accept-encoding");
    if (gzipped) res.setHeader("content-encoding", "gzip");
    res.setHeader("content-length", body.length);
    res.end(body);
    return;
  }
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  };
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    log.error("streaming an API answer failed", { path, error: error instanceof Error ? error.message : String(error) });
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

/** Resolves when the socket takes writes again, or the response is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
