import { useCases } from "@/lib/server/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus text, behind METRICS_TOKEN (see lib/telemetry/read-metrics.ts). */
export async function GET(request: Request): Promise<Response> {
  const { status, body } = await useCases().metrics.read(request.headers.get("authorization"));
  const type = status === 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8";
  return new Response(body, { status, headers: { "content-type": type, "cache-control": "no-store" } });
}
