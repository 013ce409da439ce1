import "server-only";
import { lookup } from "node:dns/promises";
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import net, { isIP } from "node:net";
import { pipeline, Transform } from "node:stream";
import tls from "node:tls";
import zlib from "node:zlib";
import { log, type Logger } from "@/lib/log";
import { createRedactor, createStreamRedactor, type Redactor } from "@/lib/redact";
import { isPublicAddress } from "./address-policy";
import type { EgressCa } from "./egress-ca";
import type { EgressObserver, TEgressOutcome, TEgressRequest } from "./egress-observer";
import { canonicalHost, CompiledPolicy, formatAuthority, parseAuthority, type NetworkPolicy } from "./host-match";
import {
  compileCredentials,
  credentialsForHost,
  HeaderNotSafeError,
  substituteBody,
  substituteHeaderValue,
  type CompiledCredential,
  type EgressCredential,
} from "./substitution";

/**
 * The egress proxy: a sandbox's only way out. An HTTP forward proxy (absolute-URI requests for
 * http://, CONNECT for everything else) that
 *
 * - enforces a network policy (none / limited to host patterns / unrestricted), refusing with a
 *   403 and a short reason;
 * - resolves names itself (the sandbox has no DNS) and, unless told otherwise, never connects to
 *   this machine, private, link-local or otherwise non-public addresses, whatever the name;
 * - swaps credential placeholders for real values in requests to the credential's allowed hosts,
 *   in headers and/or bodies, and redacts those values from the responses of those hosts, so a
 *   host that echoes a header back does not hand the secret to the sandbox;
 * - terminates TLS (with `ca`) only for hosts it substitutes credentials for; every other CONNECT
 *   is a plain tunnel to an allowed host. Without `ca`, HTTPS is never intercepted and
 *   placeholders inside TLS travel unchanged (the secret is then not usable over HTTPS, but it
 *   never leaks either).
 *
 * Every decision is logged as a static message with structured fields: method, scheme, host, port,
 * the reason of a refusal and the ids of the credentials applied; never a path, a header or a value.
 */

export interface ResolvedAddress {
  address: string;
  port: number;
}

/** Maps a host (canonical) and port to the addresses to connect to, in order of preference. */
export type EgressResolver = (host: string, port: number) => Promise<readonly ResolvedAddress[]> | readonly ResolvedAddress[];

export interface EgressProxyOptions {
  policy: NetworkPolicy;
  credentials?: readonly EgressCredential[];
  /** Where to listen: an address (default 127.0.0.1, any free port), or an already listening server whose connections the proxy takes. */
  listen?: { host?: string; port?: number } | { server: net.Server };
  /** How names are resolved (default: the system resolver). IP literals are never passed to it. */
  resolve?: EgressResolver;
  /** Connect to loopback, private and other non-public addresses too (tests, trusted internal hosts). Default false. */
  allowPrivateAddresses?: boolean;
  /** Terminate TLS for credential hosts with certificates from this CA. Without it HTTPS is tunnelled only. */
  ca?: EgressCa;
  /** Extra certificates (PEM) trusted for upstream TLS, besides the system roots. */
  upstreamCa?: string | readonly string[];
  logger?: Logger;
  /** Largest request body buffered for substitution (default 10 MiB); a larger one is refused with 413. */
  maxBodyBytes?: number;
  /** Idle time after which an upstream request fails (default 60 s). */
  upstreamTimeoutMs?: number;
  /** Idle time after which a tunnel or client connection is closed (default 10 min). */
  idleTimeoutMs?: number;
  /** Told of each request let out and how it ended (traces): never its path, headers or body. */
  observer?: EgressObserver;
}

export interface EgressStats {
  /** Requests and CONNECTs received (each request inside an intercepted tunnel counts). */
  requests: number;
  allowed: number;
  refused: number;
  /** Requests in which at least one placeholder was replaced. */
  substituted: number;
  /** CONNECTs relayed as opaque tunnels. */
  tunnels: number;
  /** CONNECTs whose TLS the proxy terminated. */
  intercepted: number;
  upstreamErrors: number;
}

export interface EgressProxy {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, for HTTP_PROXY / HTTPS_PROXY. */
  readonly url: string;
  readonly stats: Readonly<EgressStats>;
  close(): Promise<void>;
}

type RefusalReason =
  | "network_disabled"
  | "host_not_allowed"
  | "address_not_allowed"
  | "bad_request"
  | "resolve_failed"
  | "body_too_large"
  | "credential_not_header_safe"
  | "upgrade_not_supported"
  | "encoding_not_supported"
  | "upstream_failed";

interface Target {
  scheme: "http" | "https";
  host: string;
  port: number;
  address: ResolvedAddress;
  intercepted: boolean;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "host",
]);
const DEFAULT_PORT = { http: 80, https: 443 } as const;

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const policy = new CompiledPolicy(options.policy);
  const credentials = compileCredentials(options.credentials ?? []);
  const secretValues = credentials.map((c) => c.value);
  const headerRedactor: Redactor = createRedactor(secretValues, { bytes: true });
  const logger = options.logger ?? log.child({ component: "egress-proxy" });
  const resolve = options.resolve ?? systemResolve;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
  // Built once: a TLS context from the whole root list costs ~100 ms, too much for every request.
  const upstreamContext = options.upstreamCa === undefined ? undefined : tls.createSecureContext({ ca: [...tls.rootCertificates, ...[options.upstreamCa].flat()] });
  // Upstream connections are kept alive and reused (keyed by address, port and server name), so an
  // intercepted HTTPS request does not pay a TLS handshake each time. Each proxy serves one sandbox,
  // so no connection is ever shared between sandboxes.
  const upstreamAgents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };
  const stats: EgressStats = { requests: 0, allowed: 0, refused: 0, substituted: 0, tunnels: 0, intercepted: 0, upstreamErrors: 0 };
  const sockets = new Set<net.Socket>();
  const tunnelTargets = new WeakMap<net.Socket, Omit<Target, "intercepted">>();

  const track = (socket: net.Socket) => {
    if (sockets.has(socket)) return; // a kept-alive upstream connection, reused
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  // ── decisions ────────────────────────────────────────────────────────────────────────────────

  const refused = (fields: { method: string; host?: string; port?: number; reason: RefusalReason }) => {
    stats.refused += 1;
    logger.warn("egress refused", fields);
  };

  type Destination = { ok: true; address: ResolvedAddress } | { ok: false; status: number; reason: RefusalReason; detail: string };

  const destination = async (host: string, port: number): Promise<Destination> => {
    let addresses: readonly ResolvedAddress[];
    if (isIP(host) !== 0) {
      addresses = [{ address: host, port }];
    } else {
      try {
        addresses = await resolve(host, port);
      } catch {
        addresses = [];
      }
      if (addresses.length === 0) return { ok: false, status: 502, reason: "resolve_failed", detail: `cannot resolve ${host}` };
    }
    const usable = options.allowPrivateAddresses ? addresses : addresses.filter((a) => isPublicAddress(a.address));
    if (usable.length === 0) return { ok: false, status: 403, reason: "address_not_allowed", detail: `${host} is not a public address` };
    return { ok: true, address: usable[0]! };
  };

  // ── plain HTTP: absolute-URI requests ────────────────────────────────────────────────────────

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    const method = req.method ?? "GET";
    const url = req.url ?? "";
    let parsed: URL | null = null;
    if (/^https?:\/\//i.test(url)) {
      try {
        parsed = new URL(url);
      } catch {
        parsed = null;
      }
    }
    const host = parsed ? canonicalHost(parsed.hostname) : null;
    if (!parsed || !host) {
      refused({ method, reason: "bad_request" });
      return refuseResponse(res, 400, "bad_request", "send an absolute http:// URL, or CONNECT host:port for anything else");
    }
    const scheme = parsed.protocol === "https:" ? "https" : "http";
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT[scheme];
    const decision = policy.decide(host);
    if (!decision.allowed) {
      refused({ method, host, port, reason: decision.reason });
      return refuseResponse(res, 403, decision.reason, explain(decision.reason, host));
    }
    const dest = await destination(host, port);
    if (!dest.ok) {
      refused({ method, host, port, reason: dest.reason });
      return refuseResponse(res, dest.status, dest.reason, dest.detail);
    }
    await forward(req, res, { scheme, host, port, address: dest.address, intercepted: false }, parsed.pathname + parsed.search);
  };

  /** Sends one request upstream, substituting on the way out and redacting on the way back. */
  const forward = async (req: IncomingMessage, res: ServerResponse, target: Target, path: string) => {
    const method = req.method ?? "GET";
    const fields = { method, scheme: target.scheme, host: target.host, port: target.port, intercepted: target.intercepted };
    const applicable = credentialsForHost(credentials, target.host);
    const scan = applicable.length > 0;
    const applied = new Set<string>();

    // Headers: end-to-end ones only, placeholders replaced, Host from the target (what was checked).
    const hopByHop = new Set(HOP_BY_HOP);
    for (const name of ["connection", "proxy-connection"]) {
      for (const token of String(req.headers[name] ?? "").split(",")) hopByHop.add(token.trim().toLowerCase());
    }
    const headers: string[] = ["Host", formatAuthority(target.host, target.port, DEFAULT_PORT[target.scheme])];
    try {
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        const lower = name.toLowerCase();
        if (hopByHop.has(lower) || (scan && lower === "accept-encoding")) continue;
        const sub = substituteHeaderValue(name, req.rawHeaders[i + 1]!, applicable);
        for (const c of sub.applied) applied.add(c.id);
        headers.push(name, sub.value);
      }
    } catch (error) {
      if (!(error instanceof HeaderNotSafeError)) throw error;
      refused({ ...fields, reason: "credential_not_header_safe" });
      req.resume();
      return refuseResponse(res, 502, "credential_not_header_safe", "a credential's value cannot be sent in a header");
    }
    if (scan) headers.push("Accept-Encoding", "identity");

    // Body: buffered and substituted when a credential may go in it, streamed otherwise.
    const chunked = req.headers["transfer-encoding"] !== undefined;
    const hasBody = chunked || Number(req.headers["content-length"] ?? 0) > 0;
    const encoded = (req.headers["content-encoding"] ?? "identity").toLowerCase() !== "identity";
    let body: Buffer | null = null;
    if (hasBody && !encoded && applicable.some((c) => c.body)) {
      body = await readBody(req, maxBodyBytes);
      if (!body) {
        refused({ ...fields, reason: "body_too_large" });
        return refuseResponse(res, 413, "body_too_large", `request bodies to ${target.host} are limited to ${maxBodyBytes} bytes`);
      }
      const sub = substituteBody(body, applicable);
      for (const c of sub.applied) applied.add(c.id);
      body = sub.body;
      removeHeader(headers, "content-length");
      headers.push("Content-Length", String(body.length));
    } else if (chunked) {
      removeHeader(headers, "content-length");
      headers.push("Transfer-Encoding", "chunked");
    }

    stats.allowed += 1;
    if (applied.size > 0) stats.substituted += 1;
    logger.info("egress allowed", { ...fields, credentials: applied.size > 0 ? [...applied] : undefined });
    const outcome = observe(options.observer, { method, scheme: target.scheme, host: target.host, port: target.port, intercepted: target.intercepted });
    if (body) outcome.requestBytes = body.length;
    else req.on("data", (chunk: Buffer) => (outcome.requestBytes += chunk.length));
    res.on("close", () => outcome.end(res.writableFinished ? null : "aborted"));

    const requestOptions: https.RequestOptions = {
      host: target.address.address,
      port: target.address.port,
      method,
      path,
      headers: headers as unknown as http.OutgoingHttpHeaders, // a flat raw-header list, which Node accepts
      setHost: false,
      agent: target.scheme === "https" ? upstreamAgents.https : upstreamAgents.http,
      timeout: upstreamTimeoutMs,
    };
    if (target.scheme === "https") {
      if (isIP(target.host) === 0) requestOptions.servername = target.host;
      if (upstreamContext) (requestOptions as tls.ConnectionOptions).secureContext = upstreamContext;
    }
    const upstream = (target.scheme === "https" ? https : http).request(requestOptions);
    upstream.on("socket", track);
    upstream.on("timeout", () => upstream.destroy(new Error("upstream timed out")));
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      stats.upstreamErrors += 1;
      logger.warn("egress upstream failed", { ...fields, code: error.code ?? "error" });
      outcome.end(error.code ?? "upstream_failed");
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end(`egress proxy: the connection to ${target.host} failed\n`);
      } else {
        res.destroy();
      }
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on("response", (up) => {
      outcome.status = up.statusCode ?? null;
      up.on("data", (chunk: Buffer) => (outcome.responseBytes += chunk.length));
      relayResponse(up, res, scan, fields);
    });

    if (body) upstream.end(body);
    else pipeline(req, upstream, () => {});
  };

  const relayResponse = (up: IncomingMessage, res: ServerResponse, scan: boolean, fields: Record<string, unknown>) => {
    const status = up.statusCode ?? 502;
    const headers: string[] = [];
    const hopByHop = new Set([...HOP_BY_HOP].filter((h) => h !== "host"));
    for (const token of String(up.headers.connection ?? "").split(",")) hopByHop.add(token.trim().toLowerCase());
    let decoder: Transform | null = null;
    if (scan) {
      const encoding = String(up.headers["content-encoding"] ?? "identity").trim().toLowerCase();
      if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate") decoder = zlib.createUnzip();
      else if (encoding === "br") decoder = zlib.createBrotliDecompress();
      else if (encoding !== "identity" && encoding !== "") {
        up.destroy();
        refused({ ...(fields as { method: string }), reason: "encoding_not_supported" });
        return refuseResponse(res, 502, "encoding_not_supported", "the response is in an encoding the proxy cannot inspect");
      }
      hopByHop.add("content-length");
      hopByHop.add("content-encoding");
    }
    for (let i = 0; i + 1 < up.rawHeaders.length; i += 2) {
      const name = up.rawHeaders[i]!;
      if (hopByHop.has(name.toLowerCase())) continue;
      headers.push(name, scan ? headerRedactor.redact(up.rawHeaders[i + 1]!) : up.rawHeaders[i + 1]!);
    }
    res.writeHead(status, up.statusMessage, headers);
    const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [up];
    if (decoder) stages.push(decoder);
    if (scan) stages.push(redactingStream(secretValues));
    stages.push(res);
    pipeline(stages, (error) => {
      if (error && !res.writableFinished) res.destroy();
    });
  };

  // ── CONNECT: tunnels, and interception for credential hosts ─────────────────────────────────

  const onConnect = async (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    stats.requests += 1;
    socket.on("error", () => socket.destroy());
    const target = parseAuthority(req.url ?? "");
    if (!target) {
      refused({ method: "CONNECT", reason: "bad_request" });
      return refuseSocket(socket, 400, "bad_request", "CONNECT needs host:port");
    }
    const fields = { method: "CONNECT", host: target.host, port: target.port };
    const decision = policy.decide(target.host);
    if (!decision.allowed) {
      refused({ ...fields, reason: decision.reason });
      return refuseSocket(socket, 403, decision.reason, explain(decision.reason, target.host));
    }
    const dest = await destination(target.host, target.port);
    if (!dest.ok) {
      refused({ ...fields, reason: dest.reason });
      return refuseSocket(socket, dest.status, dest.reason, dest.detail);
    }
    const applicable = credentialsForHost(credentials, target.host);
    if (applicable.length > 0 && options.ca) {
      let context: tls.SecureContext;
      try {
        context = await options.ca.secureContextFor(target.host);
      } catch (error) {
        stats.upstreamErrors += 1;
        logger.error("egress certificate issue failed", { ...fields, error: error as Error });
        return refuseSocket(socket, 502, "upstream_failed", "the proxy could not issue a certificate for this host");
      }
      stats.intercepted += 1;
      logger.info("egress tunnel intercepted", fields);
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      socket.setTimeout(idleTimeoutMs, () => socket.destroy());
      // Peek at the first byte, then put it back: TLSSocket and the HTTP server both start from
      // what is still buffered on the socket.
      socket.once("data", (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        if (first[0] === 0x16) {
          // A TLS ClientHello: answer as the host, with a certificate from our CA.
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ["http/1.1"] });
          secure.on("error", (error: NodeJS.ErrnoException) => {
            logger.info("egress intercepted handshake failed", { ...fields, code: error.code ?? "error" });
            socket.destroy();
          });
          tunnelTargets.set(secure, { scheme: "https", host: target.host, port: target.port, address: dest.address });
          inner.emit("connection", secure);
        } else {
          tunnelTargets.set(socket, { scheme: "http", host: target.host, port: target.port, address: dest.address });
          inner.emit("connection", socket);
          socket.resume(); // paused explicitly above, so a new 'data' listener alone would not restart it
        }
      });
      return;
    }
    if (applicable.length > 0) {
      logger.warn("egress credential substitution unavailable over tls", { ...fields, credentials: applicable.map((c) => c.id) });
    }
    stats.tunnels += 1;
    stats.allowed += 1;
    logger.info("egress tunnel allowed", fields);
    const upstream = net.connect({ host: dest.address.address, port: dest.address.port });
    const outcome = observe(options.observer, { method: "CONNECT", scheme: "https", host: target.host, port: target.port, intercepted: false });
    upstream.once("connect", () => (outcome.status = 200));
    upstream.once("close", () => {
      outcome.requestBytes = upstream.bytesWritten;
      outcome.responseBytes = upstream.bytesRead;
      outcome.end(outcome.status === null ? "upstream_failed" : null);
    });
    track(upstream);
    upstream.setTimeout(upstreamTimeoutMs, () => upstream.destroy(new Error("connect timed out")));
    upstream.once("connect", () => {
      upstream.setTimeout(idleTimeoutMs, () => upstream.destroy());
      socket.setTimeout(idleTimeoutMs, () => socket.destroy());
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (upstream.connecting || !socket.writable) {
        stats.upstreamErrors += 1;
        logger.warn("egress upstream failed", { ...fields, code: error.code ?? "error" });
      }
      if (socket.writable && upstream.bytesRead === 0 && upstream.bytesWritten === 0) {
        refuseSocket(socket, 502, "upstream_failed", `the connection to ${target.host} failed`);
      } else {
        socket.destroy();
      }
    });
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
  };

  const onInnerRequest = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    const t = tunnelTargets.get(req.socket);
    const raw = req.url ?? "/";
    let path = raw;
    if (/^https?:\/\//i.test(raw)) {
      try {
        const u = new URL(raw);
        path = u.pathname + u.search; // the tunnel's host was checked; an absolute form names nothing else
      } catch {
        path = "";
      }
    }
    if (!t || !(path.startsWith("/") || (path === "*" && req.method === "OPTIONS"))) {
      refused({ method: req.method ?? "GET", reason: "bad_request" });
      return refuseResponse(res, 400, "bad_request", "malformed request");
    }
    await forward(req, res, { ...t, intercepted: true }, path);
  };

  // ── servers ──────────────────────────────────────────────────────────────────────────────────

  const handleErrors = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      logger.error("egress proxy failed", { method: req.method, error: error as Error });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      res.end();
    });
  };
  const refuseUpgrade = (req: IncomingMessage, socket: net.Socket) => {
    stats.requests += 1;
    refused({ method: req.method ?? "GET", reason: "upgrade_not_supported" });
    refuseSocket(socket, 501, "upgrade_not_supported", "protocol upgrades are not relayed here; use CONNECT");
  };
  const onClientError = (_error: Error, socket: net.Socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  };

  const server = http.createServer();
  server.on("request", handleErrors(onRequest));
  server.on("connect", (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    onConnect(req, socket, head).catch((error: unknown) => {
      logger.error("egress proxy failed", { method: "CONNECT", error: error as Error });
      socket.destroy();
    });
  });
  server.on("upgrade", refuseUpgrade);
  server.on("clientError", onClientError);
  server.on("connection", (socket: net.Socket) => {
    track(socket);
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  });

  const inner = http.createServer();
  inner.on("request", handleErrors(onInnerRequest));
  inner.on("upgrade", refuseUpgrade);
  inner.on("clientError", onClientError);

  let external: net.Server | null = null;
  let address: net.AddressInfo;
  const listen = options.listen ?? {};
  if ("server" in listen) {
    external = listen.server;
    external.on("connection", (socket: net.Socket) => server.emit("connection", socket));
    const a = external.address();
    if (!a || typeof a === "string") throw new Error("the given server is not listening on a TCP address");
    address = a;
  } else {
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen({ host: listen.host ?? "127.0.0.1", port: listen.port ?? 0 }, () => {
        server.off("error", reject);
        resolveListen();
      });
    });
    address = server.address() as net.AddressInfo;
  }

  const host = address.address;
  const port = address.port;
  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    url: `http://${formatAuthority(host, port)}`,
    stats,
    close() {
      closing ??= new Promise<void>((done) => {
        const servers: Array<net.Server> = [inner];
        servers.push(external ?? server);
        for (const socket of sockets) socket.destroy();
        upstreamAgents.http.destroy();
        upstreamAgents.https.destroy();
        let pending = servers.length;
        for (const s of servers) {
          if (!s.listening) {
            if (--pending === 0) done();
            continue;
          }
          s.close(() => {
            if (--pending === 0) done();
          });
        }
        if (external) server.close();
      });
      return closing;
    },
  };
}

/** What an observer is told of one request, filled in as it goes, and ended once. */
type TObserved = TEgressOutcome & { end(error: string | null): void };

function observe(observer: EgressObserver | undefined, request: TEgressRequest): TObserved {
  const done = observer?.(request);
  let ended = false;
  const outcome: TObserved = {
    status: null,
    requestBytes: 0,
    responseBytes: 0,
    error: null,
    end(error) {
      if (ended) return;
      ended = true;
      outcome.error = outcome.status === null ? (error ?? "no_response") : error;
      done?.({ status: outcome.status, requestBytes: outcome.requestBytes, responseBytes: outcome.responseBytes, error: outcome.error });
    },
  };
  return outcome;
}

/** A stream that redacts the given secrets from bytes passing through. */
function redactingStream(secrets: readonly string[]): Transform {
  const redactor = createStreamRedactor(secrets, { bytes: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out = redactor.push(chunk.toString("latin1"));
      if (out.length > 0) this.push(Buffer.from(out, "latin1"));
      done();
    },
    flush(done) {
      const out = redactor.end();
      if (out.length > 0) this.push(Buffer.from(out, "latin1"));
      done();
    },
  });
}

async function systemResolve(host: string, port: number): Promise<ResolvedAddress[]> {
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.map((a) => ({ address: a.address, port }));
}

/** Reads a whole body, or returns null (and drains the rest) once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.once("error", reject);
  });
}

function removeHeader(headers: string[], lowerName: string): void {
  for (let i = headers.length - 2; i >= 0; i -= 2) {
    if (headers[i]!.toLowerCase() === lowerName) headers.splice(i, 2);
  }
}

function explain(reason: "network_disabled" | "host_not_allowed", host: string): string {
  return reason === "network_disabled" ? "this sandbox has no network access" : `${host} is not in this sandbox's allowed hosts`;
}

function refuseResponse(res: ServerResponse, status: number, reason: RefusalReason, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-egress-refusal": reason, connection: "close" });
  res.end(`egress proxy refused the request: ${detail}\n`);
}

function refuseSocket(socket: net.Socket, status: number, reason: RefusalReason, detail: string): void {
  const body = `egress proxy refused the connection: ${detail}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Egress-Refusal: ${reason}\r\nConnection: close\r\n\r\n${body}`,
  );
}
