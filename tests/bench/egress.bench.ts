/**
 * `npm run bench:egress`: what the egress proxy costs, in one run against one loopback origin.
 *
 * The same requests go straight to the origin and through `startEgressProxy` (a limited policy
 * allowing only the origin's name), both with keep-alive clients:
 * 1. added latency per request: p50 and p99, one request at a time;
 * 2. throughput: requests/s for a 64-byte body and MiB/s for a large one, N at a time;
 * 3. the same over HTTPS where the proxy terminates TLS and substitutes a credential placeholder in
 *    the Authorization header (the origin counts the requests that arrived with the real value).
 *
 * The origin is on 127.0.0.1, which the proxy refuses in production. The benchmark uses the two
 * test-only options the egress tests use: `resolve` (the name `bench.test` leads to the loopback
 * origin) and `allowPrivateAddresses: true`. The origin's CA is trusted the way a production host
 * trusts a public one, through the process's default roots (the benchmark re-runs itself with
 * NODE_EXTRA_CA_CERTS), not through the proxy's `upstreamCa` option, which builds a TLS context
 * from the whole root list for every upstream request. Prints figures; never fails on them.
 * A last row times direct HTTPS with a new TLS connection per request: the proxy opens one towards
 * the origin for every request it intercepts, so that row is the floor of the proxied HTTPS figure.
 * Knobs: BENCH_EGRESS_REQUESTS (2000; HTTPS: BENCH_EGRESS_HTTPS_REQUESTS, 300),
 * BENCH_EGRESS_CONCURRENCY (16; large bodies: BENCH_EGRESS_LARGE_CONCURRENCY, 4), BENCH_EGRESS_LARGE_KB (1024).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createPlaceholder, loadOrCreateEgressCa, startEgressProxy } from "@/lib/egress";
import { createLogger } from "@/lib/log";
import { directHttp, directHttps, proxiedHttp, tunnelledHttps, type Send } from "./egress/clients";
import { sequentialLatency, throughput } from "./egress/measure";
import { startOrigin } from "./egress/origin";
import { fmt, percentile, printTable } from "./stats";

const REQUESTS = Number(process.env.BENCH_EGRESS_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_EGRESS_CONCURRENCY ?? 16);
const LARGE_BYTES = Number(process.env.BENCH_EGRESS_LARGE_KB ?? 1024) * 1024;
const HTTPS_REQUESTS = Number(process.env.BENCH_EGRESS_HTTPS_REQUESTS ?? 300);
const LARGE_CONCURRENCY = Number(process.env.BENCH_EGRESS_LARGE_CONCURRENCY ?? 4);
const HOST = "bench.test";
const SECURE_HOST = "secure.bench.test";

if (!process.env.BENCH_EGRESS_ORIGIN_CA_DIR) {
  // First run: make the origin's CA, then run the benchmark in a process that trusts it by default.
  const dir = await fs.mkdtemp(path.join(tmpdir(), "oma-bench-egress-origin-"));
  const ca = await loadOrCreateEgressCa({ dir });
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], {
    stdio: "inherit",
    env: { ...process.env, BENCH_EGRESS_ORIGIN_CA_DIR: dir, NODE_EXTRA_CA_CERTS: ca.certPath },
  });
  await fs.rm(dir, { recursive: true, force: true });
  process.exit(child.status ?? 1);
}

console.log(
  `bench:egress — Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}; ` +
    `${REQUESTS} HTTP / ${HTTPS_REQUESTS} HTTPS requests, ${CONCURRENCY} at a time (large bodies ${LARGE_CONCURRENCY}), large body ${LARGE_BYTES / 1024} KiB`,
);

const tmp = await fs.mkdtemp(path.join(tmpdir(), "oma-bench-egress-"));
const proxyCa = await loadOrCreateEgressCa({ dir: path.join(tmp, "proxy-ca") });
const originCa = await loadOrCreateEgressCa({ dir: process.env.BENCH_EGRESS_ORIGIN_CA_DIR });
const secret = `sk-bench-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const placeholder = createPlaceholder();

const origin = await startOrigin({ host: "127.0.0.1", largeBytes: LARGE_BYTES });
const secureOrigin = await startOrigin({ host: "127.0.0.1", largeBytes: LARGE_BYTES, tls: originCa, expectAuthorization: `Bearer ${secret}` });
const proxy = await startEgressProxy({
  policy: { type: "limited", allowedHosts: [HOST, SECURE_HOST] },
  credentials: [{ id: "bench", placeholder, value: secret, allowedHosts: [SECURE_HOST], injectIn: { header: true, body: false } }],
  ca: proxyCa, // upstream certificates are checked against the default roots, which hold the origin's CA here
  // Test-only: the benchmark's names lead to its loopback origin, which production refuses.
  resolve: (host) => (host === HOST ? [{ address: "127.0.0.1", port: origin.port }] : host === SECURE_HOST ? [{ address: "127.0.0.1", port: secureOrigin.port }] : []),
  allowPrivateAddresses: true,
  logger: createLogger({ level: "error" }),
});

/** Counts what a client sent, to check the substitution afterwards. */
function counted(client: { send: Send; close(): void }) {
  const counter = { sent: 0, send: (p: string) => ((counter.sent += 1), client.send(p)), close: () => client.close() };
  return counter;
}
const httpsDirect = counted(directHttps(secureOrigin.port, SECURE_HOST, originCa.certPem, { authorization: `Bearer ${secret}` }));
const httpsProxied = counted(tunnelledHttps(proxy.port, SECURE_HOST, proxyCa.certPem, { authorization: `Bearer ${placeholder}` }));
const pairs: Array<{ name: string; requests: number; direct: { send: Send; close(): void }; proxied: { send: Send; close(): void } }> = [
  { name: "HTTP", requests: REQUESTS, direct: directHttp(origin.port, HOST), proxied: proxiedHttp(proxy.port, `http://${HOST}`) },
  { name: "HTTPS + substitution", requests: HTTPS_REQUESTS, direct: httpsDirect, proxied: httpsProxied },
];

const latencyRows: string[][] = [];
const throughputRows: string[][] = [];
for (const { name, requests, direct, proxied } of pairs) {
  const warmup = Math.min(100, requests);
  const largeRequests = Math.max(20, Math.round(requests / 10));
  const d = await sequentialLatency(direct.send, "/small", requests, warmup);
  const p = await sequentialLatency(proxied.send, "/small", requests, warmup);
  const [d50, d99, p50, p99] = [percentile(d, 50), percentile(d, 99), percentile(p, 50), percentile(p, 99)];
  latencyRows.push([name, fmt(d50, 3), fmt(d99, 3), fmt(p50, 3), fmt(p99, 3), fmt(p50 - d50, 3), fmt(p99 - d99, 3)]);

  const ds = await throughput(direct.send, "/small", requests, CONCURRENCY);
  const ps = await throughput(proxied.send, "/small", requests, CONCURRENCY);
  throughputRows.push([`${name}, 64 B`, "req/s", fmt(ds.rps, 0), fmt(ps.rps, 0), `${fmt((ps.rps / ds.rps) * 100, 0)} %`]);
  const dl = await throughput(direct.send, "/large", largeRequests, LARGE_CONCURRENCY);
  const pl = await throughput(proxied.send, "/large", largeRequests, LARGE_CONCURRENCY);
  throughputRows.push([`${name}, ${LARGE_BYTES / 1024} KiB`, "MiB/s", fmt(dl.mbps, 1), fmt(pl.mbps, 1), `${fmt((pl.mbps / dl.mbps) * 100, 0)} %`]);
  direct.close();
  proxied.close();
}

// The floor of proxied HTTPS: a TLS handshake per request, with no proxy at all.
const fresh = counted(directHttps(secureOrigin.port, SECURE_HOST, originCa.certPem, { authorization: `Bearer ${secret}` }, true));
const f = await sequentialLatency(fresh.send, "/small", HTTPS_REQUESTS, Math.min(100, HTTPS_REQUESTS));
const directKeepAlive = latencyRows[1]!;
latencyRows.push(["HTTPS direct, new TLS connection per request", directKeepAlive[1]!, directKeepAlive[2]!, fmt(percentile(f, 50), 3), fmt(percentile(f, 99), 3), "", ""]);
fresh.close();

printTable(
  "Latency per request, one at a time, keep-alive (ms); the last row's middle columns are direct with a new connection each time",
  ["", "direct p50", "direct p99", "proxy p50", "proxy p99", "added p50", "added p99"],
  latencyRows,
);
printTable(`Throughput, keep-alive, ${CONCURRENCY} requests at a time (large bodies ${LARGE_CONCURRENCY})`, ["", "unit", "direct", "via proxy", "proxy/direct"], throughputRows);

// Every proxied HTTPS request must have reached the origin with the real value (the direct ones send it themselves).
const substituted = secureOrigin.authorized() - httpsDirect.sent - fresh.sent;
console.log(`\nsubstitution check: ${substituted} of ${httpsProxied.sent} HTTPS requests through the proxy arrived with the real credential`);
console.log(`proxy stats: ${JSON.stringify(proxy.stats)}`);

await proxy.close();
await Promise.all([origin.close(), secureOrigin.close()]);
await fs.rm(tmp, { recursive: true, force: true });
process.exit(0);
