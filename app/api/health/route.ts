import { useCases } from "@/lib/server/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and readiness: answers 200 only when the database answers a query. */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const { database } = await useCases().health();
    return Response.json({ status: "ok", database }, { headers });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers });
  }
}
