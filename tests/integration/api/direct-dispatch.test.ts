import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDirectApi } from "@/lib/api/dispatch/serve-api-directly";
import type { TRouteHandler } from "@/lib/api/dispatch/api-route-table";
import { withDeadline } from "@/tests/fixtures/wait";

/**
 * The server's own dispatch of /v1 (lib/api/dispatch) between a real Node HTTP server and route
 * handlers: what a handler gets as its Request, how its Response goes out, and what is left to
 * Next. The real routes behind it are covered by the other API suites.
 */
let aborted: Promise<string>;
let markAborted: (reason: string) => void = () => {};
let streamCancelled: Promise<void>;
let markCancelled: () => void = () => {};

const echo: TRouteHandler = async (request, context) =>
  Response.json(
    {
      url: request.url,
      params: await context.params,
      body: await request.text(),
      forwarded: request.headers.get("x-forwarded-for"),
      accept: request.headers.get("accept"),
    },
    { status: 201, headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-one", "1"]] },
  );

const stream: TRouteHandler = async (request) => {
  request.signal.addEventListener("abort", () => markAborted("aborted"));
  const encoder = new TextEncoder();
  let tick: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("event: first\ndata: {}\n\n"));
      tick = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), 20);
    },
    cancel() {
      clearInterval(tick);
      markCancelled();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
};

/** Refuses a body by its declared length without reading it, as readJsonBody does over 4 MiB. */
const refuse: TRouteHandler = async (request) =>
  Number(request.headers.get("content-length")) > 1024 ? Response.json({ type: "error" }, { status: 413 }) : Response.json({ body: await request.text() });

const large: TRouteHandler = async () => new Response("x".repeat(8 * 1024 * 1024), { headers: { "content-type": "text/plain" } });

const route = createDirectApi([
  { pattern: "/v1/things/[thingId]", module: { POST: echo, GET: echo } },
  { pattern: "/v1/stream", module: { GET: stream } },
  { pattern: "/v1/large", module: { GET: large } },
  { pattern: "/v1/refuse", module: { POST: refuse } },
]);

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const direct = route(req);
    if (!direct) {
      res.statusCode = 418; // stands for "handed to Next"
      res.end("next");
      return;
    }
    direct(res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("serving /v1 without Next", () => {
  it("gives the handler the URL, decoded params, headers and streamed body; sends status, headers and every cookie", async () => {
    const answer = await fetch(`${base}/v1/things/a%20b?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-forwarded-for": "10.0.0.1" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(answer.headers.get("x-one")).toBe("1");
    expect(await answer.json()).toEqual({
      url: `${base}/v1/things/a%20b?x=1`,
      params: { thingId: "a b" },
      body: '{"hello":"world"}',
      forwarded: "10.0.0.1",
      accept: "application/json",
    });
  });

  it("leaves to Next what has no route or no exported method", async () => {
    for (const [method, path] of [["GET", "/v1/nothing"], ["DELETE", "/v1/things/a"], ["HEAD", "/v1/things/a"], ["GET", "/v1/things/a/"], ["GET", "/sign-in"]] as const) {
      const answer = await fetch(`${base}${path}`, { method });
      expect(answer.status, `${method} ${path}`).toBe(418);
    }
  });

  it("sends an event stream's events as they come, and stops it when the client goes away", async () => {
    aborted = new Promise((resolve) => (markAborted = resolve));
    streamCancelled = new Promise((resolve) => (markCancelled = resolve));
    const first = await withDeadline(
      "the first event",
      new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${base}/v1/stream`, (res) => {
          res.once("data", (chunk: Buffer) => {
            resolve(`${res.headers["content-type"]}|${chunk.toString()}`);
            req.destroy(); // the client goes away mid-stream
          });
        });
        req.once("error", reject); // after the answer came, the destroy's own error changes nothing
        req.end();
      }),
      5_000,
    );
    expect(first).toBe("text/event-stream|event: first\ndata: {}\n\n");
    await withDeadline("the request's signal to abort", aborted, 5_000);
    await withDeadline("the response body to be cancelled", streamCancelled, 5_000);
  });

  it("answers a client still uploading a body the handler refused unread, and reads the next body whole", async () => {
    // the upload goes on after the answer: 8 MiB in pieces, the last ones sent once the 413 arrived
    const piece = Buffer.alloc(512 * 1024, "x");
    const status = await withDeadline(
      "the 413 and the upload's end",
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${base}/v1/refuse`, { method: "POST", headers: { "content-length": String(16 * piece.length), "content-type": "application/json" } }, (res) => {
          res.resume();
          res.once("end", () => {
            let sent = 2;
            const more = () => {
              if (sent++ === 16) return void req.end();
              req.write(piece, more);
            };
            more();
          });
          req.once("close", () => resolve(res.statusCode ?? 0));
        });
        req.once("error", reject);
        req.write(piece);
        req.write(piece);
      }),
      10_000,
    );
    expect(status).toBe(413);
    // and a small body on a new request still reaches its handler whole
    expect(await (await fetch(`${base}/v1/refuse`, { method: "POST", body: "small" })).json()).toEqual({ body: "small" });
  });

  it("sends a body larger than the socket takes at once, whole", async () => {
    const answer = await fetch(`${base}/v1/large`);
    expect((await answer.text()).length).toBe(8 * 1024 * 1024);
  });
});
