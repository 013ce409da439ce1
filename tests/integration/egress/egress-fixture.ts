import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import zlib from "node:zlib";
import { createLogger, type Logger } from "@/lib/log";
import type { EgressCa } from "@/lib/egress/egress-ca";

/**
 * Loopback test servers and clients for the egress proxy. Every address is on 127.0.0.1: names
 * like `allowed.test` exist only in the proxy's resolver option.
 */

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface EchoServer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/**
 * Answers every request with a JSON echo of what it received. It also reflects the request's
 * X-Token header in a response header (X-Echo-Token), as a careless API might, and gzips the echo
 * on /gzip.
 */
export async function startEchoServer(options: { host?: string; tls?: { ca: EgressCa } } = {}): Promise<EchoServer> {
  const received: Received[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      let payload: Buffer = Buffer.from(JSON.stringify(entry));
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (typeof req.headers["x-token"] === "string") headers["x-echo-token"] = req.headers["x-token"];
      if (req.url === "/gzip") {
        payload = zlib.gzipSync(payload);
        headers["content-encoding"] = "gzip";
      }
      headers["content-length"] = String(payload.length);
      res.writeHead(200, headers);
      res.end(payload);
    });
  };
  let server: http.Server;
  if (options.tls) {
    const ca = options.tls.ca;
    server = https.createServer(
      {
        SNICallback: (name, done) => {
          ca.secureContextFor(name).then(
            (context) => done(null, context),
            (error: Error) => done(error, undefined),
          );
        },
      },
      handler,
    );
  } else {
    server = http.createServer(handler);
  }
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen({ host: options.host ?? "127.0.0.1", port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A bare TCP service that counts the connections it accepts (a stand-in for a database). */
export async function startTcpService(host: string): Promise<{ port: number; accepted: () => number; close(): Promise<void> }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    socket.end("hello\n");
  });
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ProxyResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request through the proxy in absolute form, as an HTTP client with HTTP_PROXY set sends it. */
export function proxyRequest(
  proxyPort: number,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: proxyPort, method: options.method ?? "GET", path: url, headers: options.headers, agent: false }, (res) =>
      collect(res).then(resolve, reject),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Sends CONNECT; on 200 returns the open socket, otherwise the refusal. */
export function connectThrough(proxyPort: number, authority: string): Promise<{ status: number; socket: net.Socket; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port: proxyPort });
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(buffer.toString("latin1"))?.[1] ?? 0);
      if (status === 200) {
        socket.off("data", onData);
        const rest = buffer.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve({ status, socket, text: buffer.subarray(0, end).toString("latin1") });
      } else {
        socket.once("close", () => resolve({ status, socket, text: buffer.toString("latin1") }));
      }
    };
    socket.on("data", onData);
    socket.on("error", reject);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}

/** An HTTPS request through a CONNECT tunnel, trusting only `ca`. */
export async function httpsThrough(
  proxyPort: number,
  target: { host: string; port: number; path?: string; method?: string; headers?: Record<string, string>; body?: string; ca: string | string[] },
): Promise<ProxyResponse> {
  const tunnel = await connectThrough(proxyPort, `${target.host}:${target.port}`);
  if (tunnel.status !== 200) throw new Error(`CONNECT refused: ${tunnel.status}`);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.host,
        port: target.port,
        path: target.path ?? "/",
        method: target.method ?? "GET",
        headers: target.headers,
        // No agent: with one, Node would ignore createConnection and look the name up itself.
        createConnection: () => tls.connect({ socket: tunnel.socket, servername: target.host, ca: target.ca }),
      },
      (res) => collect(res).then(resolve, reject),
    );
    req.on("error", reject);
    req.end(target.body);
  });
}

function collect(res: http.IncomingMessage): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    res.on("error", reject);
  });
}

/** A logger that keeps its JSON lines, to check what was logged (and that no secret was). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: "debug", format: "json", write: (_level, line) => lines.push(line) }), lines };
}
