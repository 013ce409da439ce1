import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryBoolean, queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { credentialToWire } from "./credential-to-wire";
import { findTeamVault } from "./find-team-vault";

/**
 * `GET /v1/vaults/{id}/credentials`: the vault's credentials, newest first, paged like the other
 * lists (`next_page` null on the last page); archived ones only with `include_archived=true`.
 */
export async function listCredentials(prisma: PrismaClient, options: { teamId: string; vaultId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const includeArchived = queryBoolean(q, "include_archived");
  const page = q.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (typeof cursor.id !== "string" || !isId("credential", cursor.id))) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const vault = await findTeamVault(prisma, options.teamId, options.vaultId);
  const rows = await prisma.credential.findMany({
    where: { vaultId: vault.id, ...(includeArchived ? {} : { archivedAt: null }), ...(cursor ? { id: { lt: cursor.id as string } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map(credentialToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
