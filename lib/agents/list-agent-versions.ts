import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryLimit } from "@/lib/resource/query";
import { AppError } from "@/lib/errors";
import { agentToWire } from "./agent-to-wire";
import { findTeamAgent } from "./find-team-agent";

/**
 * `GET /v1/agents/{id}/versions`: one Agent object per version, newest version first, in pages
 * of `limit` (default 20); `next_page` is null on the last page. Archived agents list too.
 */
export async function listAgentVersions(prisma: PrismaClient, options: { teamId: string; agentId: string; query: URLSearchParams }) {
  const limit = queryLimit(options.query);
  const page = options.query.get("page");
  const cursor = page ? decodeCursor(page) : null;
  if (cursor && (!Number.isInteger(cursor.version) || (cursor.version as number) < 1)) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  const agent = await findTeamAgent(prisma, options.teamId, options.agentId);
  const rows = await prisma.agentVersion.findMany({
    where: { agentId: agent.id, ...(cursor ? { version: { lt: cursor.version as number } } : {}) },
    orderBy: { version: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return {
    data: items.map((row) => agentToWire(agent, row)),
    next_page: rows.length > limit ? encodeCursor({ version: items.at(-1)!.version }) : null,
  };
}
