import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";

/** Sends one request and resolves with the number of body bytes received. */
export type Send = (path: string) => Promise<number>;

/** Keep-alive HTTP client to `host:port`, with `hostHeader` as the Host. */
export function directHttp(port: number, hostHeader: string, headers: Record<string, string> = {}): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const send: Send = (path) => request(http.request({ host: "127.0.0.1", port, path, agent, headers: { host: hostHeader, ...headers } }));
  return { send, close: () => agent.destroy() };
}

/** Keep-alive HTTP client through a forward proxy: requests in absolute form, as with HTTP_PROXY. */
export function proxiedHttp(proxyPort: number, origin: string, headers: Record<string, string> = {}): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const host = new URL(origin).host;
  const send: Send = (path) => request(http.request({ host: "127.0.0.1", port: proxyPort, path: `${origin}${path}`, agent, headers: { host, ...headers } }));
  return { send, close: () => agent.destroy() };
}

/**
 * HTTPS client straight to a loopback server presenting a certificate for `servername`: keep-alive,
 * or with `fresh` a new TLS connection per request (what the proxy does towards the origin).
 */
export function directHttps(port: number, servername: string, ca: string, headers: Record<string, string> = {}, fresh = false): { send: Send; close(): void } {
  const agent = new https.Agent({ keepAlive: !fresh, maxSockets: 64, ca, servername });
  const send: Send = (path) => request(https.request({ host: "127.0.0.1", port, path, agent, servername, headers: { host: servername, ...headers } }));
  return { send, close: () => agent.destroy() };
}

/**
 * Keep-alive HTTPS client through a CONNECT tunnel of the proxy, as curl with HTTPS_PROXY does:
 * each connection is a CONNECT, then TLS inside it (trusting `ca`), then requests on it.
 */
export function tunnelledHttps(proxyPort: number, servername: string, ca: string, headers: Record<string, string> = {}): { send: Send; close(): void } {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  // The agent's connection factory may answer through its callback: a CONNECT first, then TLS in it.
  (agent as unknown as { createConnection: (options: unknown, callback: (error: Error | null, socket?: net.Socket) => void) => undefined }).createConnection = (
    _options,
    callback,
  ) => {
    connectTunnel(proxyPort, `${servername}:443`).then(
      (socket) => {
        const secure = tls.connect({ socket, servername, ca });
        secure.once("secureConnect", () => callback(null, secure));
        secure.once("error", (error) => callback(error));
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
  const send: Send = (path) => request(https.request({ host: servername, port: 443, path, agent, headers: { host: servername, ...headers } }));
  return { send, close: () => agent.destroy() };
}

function connectTunnel(proxyPort: number, authority: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port: proxyPort });
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      if (!/^HTTP\/1\.[01] 200/.test(buffer.toString("latin1"))) {
        socket.destroy();
        reject(new Error(`CONNECT refused: ${buffer.subarray(0, end).toString("latin1").split("\r\n")[0]}`));
        return;
      }
      const rest = buffer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}

function request(req: http.ClientRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    req.on("response", (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
