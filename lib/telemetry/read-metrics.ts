import "server-only";
import { timingSafeEqual } from "node:crypto";

export type TMetricsSource = { token: string; prometheus(): Promise<string> };

/**
 * `GET /metrics`: the Prometheus text, for a request bearing `METRICS_TOKEN` (`Authorization:
 * Bearer <token>`, as Prometheus's `authorization` scrape setting sends it). Without the setting
 * the route does not exist (404); a missing or wrong token is refused (401), compared in constant time.
 */
export async function readMetrics(source: TMetricsSource | undefined, authorization: string | null): Promise<{ status: 200 | 401 | 404; body: string }> {
  if (!source) return { status: 404, body: "metrics are off: set METRICS_TOKEN to serve them\n" };
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  if (!match || !sameToken(match[1]!.trim(), source.token)) return { status: 401, body: "send the metrics token as Authorization: Bearer <METRICS_TOKEN>\n" };
  return { status: 200, body: await source.prometheus() };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
