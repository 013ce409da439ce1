import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readMetrics, type TMetricsSource } from "./read-metrics";

export type TMetricsServer = { port: number; close(): Promise<void> };

/**
 * A process without the web server (`npm run worker`) serves its metrics on a port of its own:
 * `GET /metrics`, the same answer as the web server's route (readMetrics.ts: the Prometheus text
 * for a request bearing METRICS_TOKEN, 401 otherwise); any other path is a 404. Decision: a pull
 * endpoint like the web one rather than OTLP metrics, so one Prometheus scrape setting (with its
 * token) reads every process, each as its own target.
 */
export async function serveMetrics(options: { port: number; host?: string; source: TMetricsSource }): Promise<TMetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: metrics are at GET /metrics\n");
      return;
    }
    readMetrics(options.source, req.headers.authorization ?? null).then(
      ({ status, body }) => {
        const type = status === 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8";
        res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
      },
      () => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("metrics could not be read\n"),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
