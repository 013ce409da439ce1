import { getRuntime } from "@/lib/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and readiness: answers 200 only when the database answers a query. */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const { db } = getRuntime();
    await db.prisma.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: db.kind }, { headers });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers });
  }
}
