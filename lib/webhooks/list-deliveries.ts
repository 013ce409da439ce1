import "server-only";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryEnum, queryLimit } from "@/lib/resource/query";
import { findTeamWebhook } from "./find-team-webhook";
import { deliveryToWire } from "./webhook-to-wire";

/**
 * `GET /v1/webhooks/{id}/deliveries`: the endpoint's deliveries, newest first, in pages of `limit`
 * (default 20) with an opaque cursor; `status` keeps one state (pending, delivered, failed).
 */
export async function listDeliveries(prisma: PrismaClient, options: { teamId: string; webhookId: string; query: URLSearchParams }) {
  const endpoint = await findTeamWebhook(prisma, options);
  const q = options.query;
  const limit = queryLimit(q);
  const status = queryEnum(q, "status", ["any", "pending", "delivered", "failed"] as const, "any");
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("webhookDelivery", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const rows = await prisma.webhookDelivery.findMany({
    where: { endpointId: endpoint.id, ...(status === "any" ? {} : { status }), ...(cursor ? { id: { lt: cursor.id as string } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map((d) => deliveryToWire(d, endpoint.teamId)), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
