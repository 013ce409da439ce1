import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { getAgentSnapshot } from "./get-agent-snapshot";

/** `GET /v1/agents/{id}`, with `?version=` (an integer ≥ 1) for an older version. */
export async function getAgent(prisma: PrismaClient, options: { teamId: string; agentId: string; query: URLSearchParams }) {
  const raw = options.query.get("version");
  if (raw !== null && raw !== "" && !/^[1-9]\d{0,8}$/.test(raw)) {
    throw new AppError("invalid_request", `version: must be an integer of at least 1 (got ${JSON.stringify(raw.slice(0, 20))})`);
  }
  return getAgentSnapshot(prisma, { teamId: options.teamId, agentId: options.agentId, version: raw ? Number(raw) : undefined });
}
