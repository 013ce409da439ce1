import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateEgressCa, type EgressCa } from "@/lib/egress/egress-ca";
import { startEgressProxy, type EgressProxy, type EgressProxyOptions } from "@/lib/egress/egress-proxy";
import type { EgressCredential } from "@/lib/egress/substitution";
import type { TEgressOutcome, TEgressRequest } from "@/lib/egress/egress-observer";
import { until } from "@/tests/fixtures/wait";
import {
  capturingLogger,
  connectThrough,
  httpsThrough,
  proxyRequest,
  startEchoServer,
  startTcpService,
  type EchoServer,
} from "./egress-fixture";

const SECRET = "ghp_TheRealSecretValue_4f9a1c";
const PLACEHOLDER = "oma_egress_0123456789abcdef0123456789abcdef";
const SECRET_PATH = "/private-path-8d1e";

let tmp: string;
let proxyCa: EgressCa;
let upstreamCa: EgressCa;
let allowed: EchoServer;
let other: EchoServer;
let secure: EchoServer;
let database: Awaited<ReturnType<typeof startTcpService>>;
const proxies: EgressProxy[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "oma-egress-"));
  proxyCa = await loadOrCreateEgressCa({ dir: path.join(tmp, "proxy-ca") });
  upstreamCa = await loadOrCreateEgressCa({ dir: path.join(tmp, "upstream-ca") });
  allowed = await startEchoServer();
  other = await startEchoServer();
  secure = await startEchoServer({ tls: { ca: upstreamCa } });
  database = await startTcpService("127.0.0.1");
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await Promise.all([allowed?.close(), other?.close(), secure?.close(), database?.close()]);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  // Nothing any proxy logged, in any test, carries the secret or a request path.
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) {
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain(SECRET_PATH);
  }
});

/** Names exist only here: every one of them is a loopback test server. */
function resolver(host: string) {
  const ports: Record<string, number> = {
    "allowed.test": allowed.port,
    "api.allowed.test": allowed.port,
    "other.test": other.port,
    "secure.test": secure.port,
    "secure-other.test": secure.port,
    "loopback.test": allowed.port,
  };
  const port = ports[host];
  return port === undefined ? [] : [{ address: "127.0.0.1", port }];
}

async function start(options: Partial<EgressProxyOptions> & Pick<EgressProxyOptions, "policy">) {
  const { logger, lines } = capturingLogger();
  const proxy = await startEgressProxy({ resolve: resolver, allowPrivateAddresses: true, logger, ...options });
  proxies.push(proxy);
  return {
    proxy,
    lines,
    logged: () => {
      logLines.push(...lines);
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

const credential = (over: Partial<EgressCredential> = {}): EgressCredential => ({
  id: "vcrd_test1",
  placeholder: PLACEHOLDER,
  value: SECRET,
  allowedHosts: ["allowed.test", "secure.test"],
  injectIn: { header: true, body: true },
  ...over,
});

describe("network policy", () => {
  it("none: every request and tunnel is refused with a reason, nothing reaches a server", async () => {
    const { proxy, logged } = await start({ policy: { type: "none" } });
    const before = allowed.received.length;
    const res = await proxyRequest(proxy.port, "http://allowed.test/");
    expect(res.status).toBe(403);
    expect(res.headers["x-egress-refusal"]).toBe("network_disabled");
    expect(res.body).toMatch(/no network access/);
    const tunnel = await connectThrough(proxy.port, "secure.test:443");
    expect(tunnel.status).toBe(403);
    expect(tunnel.text).toContain("X-Egress-Refusal: network_disabled");
    expect(allowed.received.length).toBe(before);
    expect(proxy.stats).toMatchObject({ requests: 2, refused: 2, allowed: 0 });
    const lines = logged();
    expect(lines.map((l) => l.msg)).toEqual(["egress refused", "egress refused"]);
    expect(lines[0]).toMatchObject({ level: "warn", method: "GET", host: "allowed.test", port: 80, reason: "network_disabled" });
    expect(lines[1]).toMatchObject({ method: "CONNECT", host: "secure.test", port: 443, reason: "network_disabled" });
  });

  it("limited: listed hosts and wildcard matches pass, everything else is refused", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test", "*.allowed.test"] } });
    const ok = await proxyRequest(proxy.port, `http://allowed.test${SECRET_PATH}?q=1`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ method: "GET", url: `${SECRET_PATH}?q=1`, headers: { host: "allowed.test" } });
    expect((await proxyRequest(proxy.port, "http://api.allowed.test/")).status).toBe(200);

    const otherBefore = other.received.length;
    const refused = await proxyRequest(proxy.port, "http://other.test/");
    expect(refused.status).toBe(403);
    expect(refused.headers["x-egress-refusal"]).toBe("host_not_allowed");
    expect((await connectThrough(proxy.port, "other.test:443")).status).toBe(403);
    expect((await connectThrough(proxy.port, "secure.test:443")).status).toBe(403);
    expect(other.received.length).toBe(otherBefore);
    const lines = logged();
    expect(lines.filter((l) => l.msg === "egress allowed").map((l) => l.host)).toEqual(["allowed.test", "api.allowed.test"]);
    expect(lines.filter((l) => l.msg === "egress refused").map((l) => l.reason)).toEqual(["host_not_allowed", "host_not_allowed", "host_not_allowed"]);
  });

  it("unrestricted: any resolvable host passes", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" } });
    expect((await proxyRequest(proxy.port, "http://allowed.test/")).status).toBe(200);
    expect((await proxyRequest(proxy.port, "http://other.test/")).status).toBe(200);
    const tunnel = await connectThrough(proxy.port, "secure-other.test:443");
    expect(tunnel.status).toBe(200);
    tunnel.socket.destroy();
    expect(proxy.stats).toMatchObject({ allowed: 3, refused: 0, tunnels: 1 });
    logged();
  });

  it("the Host header cannot redirect a request to another host than the one checked", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test"] } });
    const before = other.received.length;
    const res = await proxyRequest(proxy.port, "http://allowed.test/", { headers: { Host: "other.test" } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).headers.host).toBe("allowed.test");
    expect(other.received.length).toBe(before);
    logged();
  });

  it("an unresolvable name is a 502, not a connection anywhere", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" } });
    const res = await proxyRequest(proxy.port, "http://nowhere.test/");
    expect(res.status).toBe(502);
    expect(res.headers["x-egress-refusal"]).toBe("resolve_failed");
    logged();
  });
});

describe("addresses", () => {
  it("without allowPrivateAddresses, loopback is refused however it is spelled or resolved", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" }, allowPrivateAddresses: false });
    const before = allowed.received.length;
    for (const url of [
      `http://127.0.0.1:${allowed.port}/`,
      `http://2130706433:${allowed.port}/`,
      `http://0x7f.1:${allowed.port}/`,
      `http://[::1]:${allowed.port}/`,
      `http://[::ffff:127.0.0.1]:${allowed.port}/`,
      "http://loopback.test/",
    ]) {
      const res = await proxyRequest(proxy.port, url);
      expect(res.status, url).toBe(403);
      expect(res.headers["x-egress-refusal"], url).toBe("address_not_allowed");
    }
    expect((await connectThrough(proxy.port, `127.0.0.1:${database.port}`)).status).toBe(403);
    expect((await connectThrough(proxy.port, "loopback.test:5432")).status).toBe(403);
    expect(allowed.received.length).toBe(before);
    expect(database.accepted()).toBe(0);
    logged();
  });
});

describe("credential placeholders", () => {
  it("the allowed host gets the real value in headers and body; another host gets only the placeholder", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" }, credentials: [credential()] });
    const body = JSON.stringify({ token: PLACEHOLDER, note: "keep me" });
    const res = await proxyRequest(proxy.port, "http://allowed.test/api", {
      method: "POST",
      headers: { Authorization: `Bearer ${PLACEHOLDER}`, "X-Api-Key": PLACEHOLDER, "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(200);
    const got = allowed.received.at(-1)!;
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(got.headers["x-api-key"]).toBe(SECRET);
    expect(JSON.parse(got.body)).toEqual({ token: SECRET, note: "keep me" });
    expect(Number(got.headers["content-length"])).toBe(Buffer.byteLength(got.body));
    // The allowed host echoes the secret back; the sandbox must not see it.
    expect(res.body).not.toContain(SECRET);
    expect(JSON.parse(res.body).headers.authorization).toBe("Bearer [redacted]");

    const otherBefore = other.received.length;
    const res2 = await proxyRequest(proxy.port, "http://other.test/api", {
      method: "POST",
      headers: { Authorization: `Bearer ${PLACEHOLDER}`, "Content-Type": "application/json" },
      body,
    });
    expect(res2.status).toBe(200);
    expect(other.received.length).toBe(otherBefore + 1);
    const leaked = other.received.at(-1)!;
    expect(leaked.headers.authorization).toBe(`Bearer ${PLACEHOLDER}`);
    expect(JSON.parse(leaked.body)).toEqual({ token: PLACEHOLDER, note: "keep me" });
    expect(JSON.stringify(other.received)).not.toContain(SECRET);

    expect(proxy.stats.substituted).toBe(1);
    const allowedLines = logged().filter((l) => l.msg === "egress allowed");
    expect(allowedLines.map((l) => l.credentials)).toEqual([["vcrd_test1"], undefined]);
  });

  it("header-only injection leaves the body's placeholder alone", async () => {
    const { proxy, logged } = await start({
      policy: { type: "limited", allowedHosts: ["allowed.test"] },
      credentials: [credential({ injectIn: { header: true, body: false } })],
    });
    await proxyRequest(proxy.port, "http://allowed.test/", { method: "POST", headers: { "X-Api-Key": PLACEHOLDER }, body: `k=${PLACEHOLDER}` });
    const got = allowed.received.at(-1)!;
    expect(got.headers["x-api-key"]).toBe(SECRET);
    expect(got.body).toBe(`k=${PLACEHOLDER}`);
    logged();
  });

  it("body-only injection leaves the headers' placeholder alone", async () => {
    const { proxy, logged } = await start({
      policy: { type: "limited", allowedHosts: ["allowed.test"] },
      credentials: [credential({ injectIn: { header: false, body: true } })],
    });
    await proxyRequest(proxy.port, "http://allowed.test/", { method: "PUT", headers: { "X-Api-Key": PLACEHOLDER }, body: `k=${PLACEHOLDER}` });
    const got = allowed.received.at(-1)!;
    expect(got.headers["x-api-key"]).toBe(PLACEHOLDER);
    expect(got.body).toBe(`k=${SECRET}`);
    logged();
  });

  it("inside Basic credentials (git over HTTPS, curl -u)", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test"] }, credentials: [credential()] });
    const basic = (password: string) => `Basic ${Buffer.from(`x-access-token:${password}`).toString("base64")}`;
    await proxyRequest(proxy.port, "http://allowed.test/repo.git/info/refs", { headers: { Authorization: basic(PLACEHOLDER) } });
    expect(allowed.received.at(-1)!.headers.authorization).toBe(basic(SECRET));
    logged();
  });

  it("a reflected secret is redacted from response headers and from a gzipped body", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test"] }, credentials: [credential()] });
    const res = await proxyRequest(proxy.port, "http://allowed.test/gzip", { headers: { "X-Token": PLACEHOLDER, "Accept-Encoding": "gzip" } });
    expect(allowed.received.at(-1)!.headers["x-token"]).toBe(SECRET);
    expect(res.status).toBe(200);
    expect(res.headers["x-echo-token"]).toBe("[redacted]");
    expect(res.headers["content-encoding"]).toBeUndefined();
    const echoed = JSON.parse(res.body);
    expect(echoed.headers["x-token"]).toBe("[redacted]");
    expect(res.body).not.toContain(SECRET);
    logged();
  });

  it("a value that cannot go in a header is refused, not injected", async () => {
    const { proxy, logged } = await start({
      policy: { type: "limited", allowedHosts: ["allowed.test"] },
      credentials: [credential({ value: `${SECRET}\r\nX-Injected: 1` })],
    });
    const before = allowed.received.length;
    const res = await proxyRequest(proxy.port, "http://allowed.test/", { headers: { "X-Api-Key": PLACEHOLDER } });
    expect(res.status).toBe(502);
    expect(res.headers["x-egress-refusal"]).toBe("credential_not_header_safe");
    expect(allowed.received.length).toBe(before);
    // In a body it is fine.
    await proxyRequest(proxy.port, "http://allowed.test/", { method: "POST", body: PLACEHOLDER });
    expect(allowed.received.at(-1)!.body).toBe(`${SECRET}\r\nX-Injected: 1`);
    logged();
  });

  it("a body too large to buffer for substitution is refused with 413", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test"] }, credentials: [credential()], maxBodyBytes: 1000 });
    const before = allowed.received.length;
    const res = await proxyRequest(proxy.port, "http://allowed.test/", { method: "POST", body: "x".repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.headers["x-egress-refusal"]).toBe("body_too_large");
    expect(allowed.received.length).toBe(before);
    logged();
  });

  it("bodies to hosts without credentials stream through unchanged, chunked or not", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" }, credentials: [credential()] });
    const big = Buffer.alloc(300_000, "abcdefghij").toString() + PLACEHOLDER;
    await proxyRequest(proxy.port, "http://other.test/", { method: "POST", body: big });
    expect(other.received.at(-1)!.body).toBe(big);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: proxy.port, method: "POST", path: "http://other.test/chunked", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.write("part1-");
      req.end("part2");
    });
    expect(chunked).toBe(200);
    expect(other.received.at(-1)!.body).toBe("part1-part2");
    expect(other.received.at(-1)!.headers["transfer-encoding"]).toBe("chunked");
    logged();
  });
});

describe("https", () => {
  it("terminates TLS for a credential host: the upstream gets the value, the client the redacted echo", async () => {
    const { proxy, logged } = await start({
      policy: { type: "limited", allowedHosts: ["secure.test"] },
      credentials: [credential()],
      ca: proxyCa,
      upstreamCa: upstreamCa.certPem,
    });
    const res = await httpsThrough(proxy.port, {
      host: "secure.test",
      port: 443,
      path: SECRET_PATH,
      method: "POST",
      headers: { Authorization: `Bearer ${PLACEHOLDER}` },
      body: `{"t":"${PLACEHOLDER}"}`,
      ca: proxyCa.certPem,
    });
    expect(res.status).toBe(200);
    const got = secure.received.at(-1)!;
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(got.body).toBe(`{"t":"${SECRET}"}`);
    expect(got.headers.host).toBe("secure.test");
    expect(res.body).not.toContain(SECRET);
    expect(proxy.stats).toMatchObject({ intercepted: 1, tunnels: 0, substituted: 1 });
    // A client that trusts only the real server's CA notices the interception.
    await expect(httpsThrough(proxy.port, { host: "secure.test", port: 443, ca: upstreamCa.certPem })).rejects.toThrow();
    const lines = logged();
    expect(lines.find((l) => l.msg === "egress allowed")).toMatchObject({ scheme: "https", host: "secure.test", intercepted: true, credentials: ["vcrd_test1"] });
  });

  it("tunnels other hosts untouched: their certificate is the server's own, the placeholder passes as is", async () => {
    const { proxy, logged } = await start({
      policy: { type: "unrestricted" },
      credentials: [credential()],
      ca: proxyCa,
      upstreamCa: upstreamCa.certPem,
    });
    const res = await httpsThrough(proxy.port, {
      host: "secure-other.test",
      port: 443,
      headers: { Authorization: `Bearer ${PLACEHOLDER}` },
      ca: upstreamCa.certPem,
    });
    expect(res.status).toBe(200);
    expect(secure.received.at(-1)!.headers.authorization).toBe(`Bearer ${PLACEHOLDER}`);
    expect(proxy.stats).toMatchObject({ intercepted: 0, tunnels: 1 });
    await expect(httpsThrough(proxy.port, { host: "secure-other.test", port: 443, ca: proxyCa.certPem })).rejects.toThrow();
    logged();
  });

  it("without a CA, a credential host is only tunnelled: the placeholder arrives unchanged, and that is logged", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["secure.test"] }, credentials: [credential()] });
    const res = await httpsThrough(proxy.port, { host: "secure.test", port: 443, headers: { Authorization: `Bearer ${PLACEHOLDER}` }, ca: upstreamCa.certPem });
    expect(res.status).toBe(200);
    expect(secure.received.at(-1)!.headers.authorization).toBe(`Bearer ${PLACEHOLDER}`);
    const warning = logged().find((l) => l.msg === "egress credential substitution unavailable over tls");
    expect(warning).toMatchObject({ host: "secure.test", credentials: ["vcrd_test1"] });
  });

  it("verifies the upstream certificate when it intercepts: an untrusted server gets nothing", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["secure.test"] }, credentials: [credential()], ca: proxyCa });
    const before = secure.received.length;
    const res = await httpsThrough(proxy.port, { host: "secure.test", port: 443, headers: { Authorization: `Bearer ${PLACEHOLDER}` }, ca: proxyCa.certPem });
    expect(res.status).toBe(502);
    expect(secure.received.length).toBe(before);
    expect(proxy.stats.upstreamErrors).toBe(1);
    logged();
  });

  it("plain HTTP inside a CONNECT to a credential host is substituted too", async () => {
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test"] }, credentials: [credential()], ca: proxyCa });
    const tunnel = await connectThrough(proxy.port, "allowed.test:80");
    expect(tunnel.status).toBe(200);
    const response = await new Promise<string>((resolve) => {
      let text = "";
      tunnel.socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
      tunnel.socket.on("close", () => resolve(text));
      tunnel.socket.write(`GET /inner HTTP/1.1\r\nHost: allowed.test\r\nAuthorization: Bearer ${PLACEHOLDER}\r\nConnection: close\r\n\r\n`);
    });
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).not.toContain(SECRET);
    expect(allowed.received.at(-1)!).toMatchObject({ url: "/inner", headers: { authorization: `Bearer ${SECRET}` } });
    logged();
  });
});

describe("observer (traces)", () => {
  it("is told each request let out, where it went and how it ended in bytes, never its path, query, headers or body", async () => {
    const seen: Array<{ request: TEgressRequest; outcome?: TEgressOutcome }> = [];
    const observer = (request: TEgressRequest) => {
      const entry: (typeof seen)[number] = { request };
      seen.push(entry);
      return (outcome: TEgressOutcome) => (entry.outcome = outcome);
    };
    const { proxy, logged } = await start({ policy: { type: "limited", allowedHosts: ["allowed.test", "secure-other.test"] }, credentials: [credential()], observer, upstreamCa: upstreamCa.certPem });
    const body = JSON.stringify({ token: PLACEHOLDER });
    const res = await proxyRequest(proxy.port, `http://allowed.test${SECRET_PATH}?key=${PLACEHOLDER}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${PLACEHOLDER}`, "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(200);
    // refused: not let out, so not observed (the log says it)
    expect((await proxyRequest(proxy.port, "http://other.test/")).status).toBe(403);
    // an opaque tunnel is one request of its own, its bytes both ways
    expect((await httpsThrough(proxy.port, { host: "secure-other.test", port: 443, ca: upstreamCa.certPem })).status).toBe(200);
    await until("both outcomes", () => seen.length === 2 && seen.every((entry) => entry.outcome), { timeoutMs: 5_000, intervalMs: 20 });

    const [post, tunnel] = seen;
    expect(post!.request).toEqual({ method: "POST", scheme: "http", host: "allowed.test", port: 80, intercepted: false });
    // the body as it left, with the secret in place of the placeholder
    expect(post!.outcome).toEqual({ status: 200, requestBytes: Buffer.byteLength(JSON.stringify({ token: SECRET })), responseBytes: expect.any(Number), error: null });
    expect(post!.outcome!.responseBytes).toBeGreaterThan(0);
    expect(tunnel!.request).toEqual({ method: "CONNECT", scheme: "https", host: "secure-other.test", port: 443, intercepted: false });
    expect(tunnel!.outcome).toMatchObject({ status: 200, error: null });
    expect(tunnel!.outcome!.requestBytes).toBeGreaterThan(0);
    expect(tunnel!.outcome!.responseBytes).toBeGreaterThan(0);
    const told = JSON.stringify(seen);
    for (const text of [SECRET, PLACEHOLDER, SECRET_PATH, "key="]) expect(told).not.toContain(text);
    logged();
  });

  it("says a request that got no answer failed, and why", async () => {
    const outcomes: TEgressOutcome[] = [];
    const { proxy, logged } = await start({ policy: { type: "unrestricted" }, observer: () => (outcome) => outcomes.push(outcome) });
    const closed = await startEchoServer();
    await closed.close(); // nothing listens on its port any more
    const res = await proxyRequest(proxy.port, `http://127.0.0.1:${closed.port}/`);
    expect(res.status).toBe(502);
    await until("the outcome", () => outcomes.length === 1, { timeoutMs: 5_000, intervalMs: 20 });
    expect(outcomes[0]).toMatchObject({ status: null, responseBytes: 0, error: "ECONNREFUSED" });
    logged();
  });
});

describe("protocol", () => {
  it("refuses a request that is not in absolute form (the proxy is not a web server)", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" } });
    const res = await proxyRequest(proxy.port, "/just/a/path");
    expect(res.status).toBe(400);
    expect(res.headers["x-egress-refusal"]).toBe("bad_request");
    expect((await connectThrough(proxy.port, "no-port.test")).status).toBe(400);
    logged();
  });

  it("close() ends open tunnels", async () => {
    const { proxy, logged } = await start({ policy: { type: "unrestricted" } });
    const tunnel = await connectThrough(proxy.port, "secure-other.test:443");
    expect(tunnel.status).toBe(200);
    const closed = new Promise<void>((resolve) => tunnel.socket.once("close", () => resolve()));
    await proxy.close();
    await closed;
    logged();
  });
});
