import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { queryLimit } from "@/lib/resource/query";
import { skillToWire, skillVersionToWire } from "./skill-to-wire";
import { findTeamSkill } from "./find-team-skill";

const SOURCES = new Set(["custom", "anthropic"]);

function cursorId(q: URLSearchParams, kind: "skill" | "skillVersion"): string | null {
  const page = q.get("page");
  if (!page) return null;
  const cursor = decodeCursor(page);
  if (!cursor || typeof cursor.id !== "string" || !isId(kind, cursor.id)) throw new AppError("invalid_request", "page: not a cursor returned by this API");
  return cursor.id;
}

/** `GET /v1/skills`: the team's skills, newest first; `source=anthropic` lists none (this server provides none of its own). */
export async function listSkills(prisma: PrismaClient, options: { teamId: string; query: URLSearchParams }) {
  const q = options.query;
  const source = q.get("source");
  if (source && !SOURCES.has(source)) throw new AppError("invalid_request", `source: must be custom or anthropic`);
  const limit = queryLimit(q);
  const after = cursorId(q, "skill");
  if (source === "anthropic") return { data: [], next_page: null };
  const rows = await prisma.skill.findMany({ where: { teamId: options.teamId, ...(after ? { id: { lt: after } } : {}) }, orderBy: { id: "desc" }, take: limit + 1 });
  const items = rows.slice(0, limit);
  return { data: items.map(skillToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** `GET /v1/skills/{id}/versions`: the skill's versions, newest first. */
export async function listSkillVersions(prisma: PrismaClient, options: { teamId: string; skillId: string; query: URLSearchParams }) {
  const q = options.query;
  const limit = queryLimit(q);
  const after = cursorId(q, "skillVersion");
  const skill = await findTeamSkill(prisma, options.teamId, options.skillId);
  const rows = await prisma.skillVersion.findMany({
    where: { skillId: skill.id, ...(after ? { id: { lt: after } } : {}) },
    select: { id: true, skillId: true, name: true, description: true, createdAt: true },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { data: items.map(skillVersionToWire), next_page: rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}
