import http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { EgressCa } from "@/lib/egress/egress-ca";

/**
 * The benchmark's one origin: a loopback server answering `/small` (64 bytes) and `/large`
 * (`largeBytes`), over HTTP and, with a CA, over HTTPS. It counts requests whose Authorization
 * header is exactly `expectAuthorization`, so the benchmark can show that substitution happened.
 */
export interface Origin {
  port: number;
  /** Requests that carried the expected Authorization header. */
  authorized(): number;
  close(): Promise<void>;
}

export async function startOrigin(options: { largeBytes: number; expectAuthorization?: string; tls?: EgressCa; host: string }): Promise<Origin> {
  const small = Buffer.alloc(64, "s");
  const large = Buffer.alloc(options.largeBytes, "l");
  let authorized = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (options.expectAuthorization !== undefined && req.headers.authorization === options.expectAuthorization) authorized += 1;
    req.resume();
    req.on("end", () => {
      const body = req.url === "/large" ? large : small;
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.length) });
      res.end(body);
    });
  };
  const ca = options.tls;
  const server = ca
    ? https.createServer({ SNICallback: (name, done) => void ca.secureContextFor(name).then((c) => done(null, c), (e: Error) => done(e, undefined)) }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen({ host: options.host, port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    authorized: () => authorized,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
