/**
 * One subscriber of `GET /v1/sessions/{id}/events/stream`, read with a raw `fetch` and a small
 * Server-Sent Events parser (the framing of reference §4: lines end in \n, \r\n or \r; a blank line
 * dispatches; only `event:` and `data:` are read; `ping` is skipped). Every event is recorded with
 * the wall-clock time its bytes were handed to this process.
 */
export type TReceived = { id: string; type: string; processedAt: number; arrivedAt: number };

export type TSubscriber = { received: TReceived[]; close(): void; done: Promise<void> };

/** Wall-clock milliseconds with sub-millisecond resolution. */
export const wallClock = () => performance.timeOrigin + performance.now();

/** Resolves once the response headers arrived (the server subscribes before it sends them). */
export async function subscribe(url: string, apiKey: string, sessionId: string): Promise<TSubscriber> {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/sessions/${sessionId}/events/stream`, {
    headers: { "x-api-key": apiKey, "anthropic-version": "2023-06-01", accept: "application/json" },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`stream: HTTP ${response.status} ${await response.text()}`);
  const received: TReceived[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let data: string[] = [];

  const line = (text: string, arrivedAt: number) => {
    if (text === "") {
      if (event && event !== "ping" && data.length > 0) {
        const body = JSON.parse(data.join("\n")) as { id: string; type: string; processed_at: string };
        received.push({ id: body.id, type: body.type, processedAt: Date.parse(body.processed_at), arrivedAt });
      }
      event = "";
      data = [];
      return;
    }
    const colon = text.indexOf(":");
    if (colon === 0) return; // comment
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? "" : text.slice(text[colon + 1] === " " ? colon + 2 : colon + 1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };

  const read = async () => {
    const reader = response.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const arrivedAt = wallClock();
        buffer += decoder.decode(value, { stream: true });
        // a trailing \r may be the first half of \r\n: keep it for the next chunk
        const lines = buffer.split(/\r\n|\r(?!$)|\n/);
        buffer = lines.pop()!;
        for (const text of lines) line(text, arrivedAt);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  };

  return { received, close: () => abort.abort(), done: read() };
}
