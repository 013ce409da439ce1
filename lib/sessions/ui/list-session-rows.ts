import { teamPath } from "@/lib/auth/current-team";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { TSessionStatus } from "@/lib/event-log/fold";
import { estimateCostUsd, modelFamily } from "@/lib/timeline/estimate-cost";
import { isId } from "@/lib/ids";
import { agentOfSnapshot } from "./load-session-view";
import { parseSessionListQuery, type TSessionListQuery } from "./session-list-query";

/** How many sessions a page of the list shows. */
export const SESSION_LIST_PAGE_SIZE = 25;

/** Who started a session: a teammate, or an API key (sessions created through the API). */
export type TSessionStarter = { kind: "member" | "api_key"; id: string; name: string | null };

/** A session as the sessions list shows it. */
export type TSessionListRow = {
  id: string;
  href: string;
  /** The title the session was given; null when none (the list then shows `firstMessage`). */
  title: string | null;
  /** The text of its first message, cut to 200 characters (kept by the database, see schema.prisma). */
  firstMessage: string | null;
  status: TSessionStatus;
  agentName: string | null;
  startedBy: TSessionStarter | null;
  /** US dollars; null when the model has no list price. */
  costUsd: number | null;
  createdAt: Date;
};

/**
 * A page of the list, newest first, and where the pages beside it start: `older` is the `after`
 * of the next page, `newer` the `before` of the previous one; null when there is nothing that way.
 */
export type TSessionListPage = { rows: TSessionListRow[]; newer: string | null; older: string | null };

const SELECT = {
  id: true,
  title: true,
  firstMessage: true,
  status: true,
  agentSnapshot: true,
  usage: true,
  createdBy: true,
  createdAt: true,
} satisfies Prisma.SessionSelect;
type TRow = Prisma.SessionGetPayload<{ select: typeof SELECT }>;

/**
 * The team's sessions (archived ones left out) for the web app's list, newest first, one page at
 * a time, searched and filtered as `query` says (session-list-query.ts).
 *
 * Pages are keyset pages over ids (time-ordered): a page is "the `limit` sessions after (or
 * before) this id", read from the `(teamId, id)` index or, with a filter, from `(teamId, status,
 * id)`, `(teamId, agentId, id)` or `(teamId, createdBy, id)` — so page 400 costs what page 1 costs,
 * where an OFFSET would read every row before it. A search (`q`, a case-insensitive substring of
 * the title or the first message) is a condition on the same walk: the walk stops once a page is
 * full, so a search that matches often is as quick as none, and one that matches rarely reads at
 * most the team's sessions once. Titles come from columns of the session row (`firstMessage` is
 * kept by the database when the first message is appended): no log is read. Each page costs two
 * bounded queries (the page and one more row, then whether a row lies the other way) and two
 * lookups of the names of who started its sessions.
 */
export async function listSessionRows(
  deps: { prisma: PrismaClient },
  options: { teamId: string; teamSlug: string; query: TSessionListQuery; limit?: number },
): Promise<TSessionListPage> {
  const query = parseSessionListQuery(options.query);
  const limit = Math.max(1, Math.min(options.limit ?? SESSION_LIST_PAGE_SIZE, 100));
  const where: Prisma.SessionWhereInput = {
    teamId: options.teamId,
    archivedAt: null,
    ...(query.status ? { status: query.status } : {}),
    ...(query.agent ? { agentId: query.agent } : {}),
    ...(query.by ? { createdBy: query.by } : {}),
    ...(query.q
      ? {
          OR: [
            { title: { contains: likeLiteral(query.q), mode: "insensitive" } },
            { firstMessage: { contains: likeLiteral(query.q), mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const page = (beyond: Prisma.StringFilter, order: "asc" | "desc") =>
    deps.prisma.session.findMany({ where: { ...where, id: beyond }, orderBy: { id: order }, take: limit + 1, select: SELECT });
  // ordered, so that it is planned on the same index as the page and stops at the first row (unordered,
  // PostgreSQL may scan the table for it, and read all of it when there is none)
  const exists = async (beyond: Prisma.StringFilter) =>
    (await deps.prisma.session.findFirst({ where: { ...where, id: beyond }, orderBy: { id: beyond.gt ? "asc" : "desc" }, select: { id: true } })) !== null;

  let rows: TRow[];
  let newer: string | null;
  let older: string | null;
  if (query.before) {
    const found = await page({ gt: query.before }, "asc");
    if (found.length === 0) return listSessionRows(deps, { ...options, query: { ...query, before: undefined } }); // past the newest: the first page
    rows = found.slice(0, limit).reverse();
    newer = found.length > limit ? rows[0]!.id : null;
    older = (await exists({ lt: rows.at(-1)!.id })) ? rows.at(-1)!.id : null;
  } else {
    const found = await page(query.after ? { lt: query.after } : {}, "desc");
    rows = found.slice(0, limit);
    older = found.length > limit ? rows.at(-1)!.id : null;
    newer = query.after && rows.length > 0 && (await exists({ gt: rows[0]!.id })) ? rows[0]!.id : null;
  }
  const starters = await startersOf(deps.prisma, options.teamId, rows);
  return { rows: rows.map((row) => rowOf(row, options.teamSlug, starters)), newer, older };
}

/** `contains` is a LIKE pattern: the search's own `%`, `_` and backslash are characters, not wildcards. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

function rowOf(row: TRow, teamSlug: string, starters: Map<string, TSessionStarter>): TSessionListRow {
  const agent = agentOfSnapshot((row.agentSnapshot ?? {}) as Record<string, unknown>);
  return {
    id: row.id,
    href: teamPath(teamSlug, "sessions", row.id),
    title: row.title,
    firstMessage: row.firstMessage,
    status: row.status as TSessionStatus,
    agentName: agent.name,
    startedBy: row.createdBy ? (starters.get(row.createdBy) ?? null) : null,
    costUsd: costOf(row.usage, agent.model),
    createdAt: row.createdAt,
  };
}

/** The names of who started the page's sessions: only its own, never the team's whole roster. */
async function startersOf(prisma: PrismaClient, teamId: string, rows: TRow[]): Promise<Map<string, TSessionStarter>> {
  const ids = [...new Set(rows.flatMap((row) => (row.createdBy ? [row.createdBy] : [])))];
  const userIds = ids.filter((id) => isId("user", id));
  const keyIds = ids.filter((id) => isId("apiKey", id));
  const [users, keys] = await Promise.all([
    userIds.length > 0 ? prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    keyIds.length > 0 ? prisma.apiKey.findMany({ where: { id: { in: keyIds }, teamId }, select: { id: true, name: true } }) : [],
  ]);
  const starters = new Map<string, TSessionStarter>();
  for (const id of ids) {
    const user = users.find((u) => u.id === id);
    const key = keys.find((k) => k.id === id);
    // a starter since removed from the team (or a revoked key) still started the session: kept, unnamed
    starters.set(id, { kind: isId("user", id) ? "member" : "api_key", id, name: user?.name ?? key?.name ?? null });
  }
  return starters;
}

/**
 * What a session's usage cost: the exact list cost when the usage fold records one
 * (`list_cost_nano_usd`, null while a request of a model without a list price is counted), else an
 * estimate from its tokens at the list prices of its model's family (lib/timeline/estimate-cost.ts).
 */
function costOf(usage: Prisma.JsonValue, model: string | null): number | null {
  const u = (usage && typeof usage === "object" && !Array.isArray(usage) ? usage : {}) as Record<string, unknown>;
  const count = (key: string) => (typeof u[key] === "number" ? (u[key] as number) : 0);
  if (typeof u.list_cost_nano_usd === "number") return count("unpriced_requests") > 0 ? null : u.list_cost_nano_usd / 1e9;
  return estimateCostUsd(
    {
      input_tokens: count("input_tokens"),
      output_tokens: count("output_tokens"),
      cache_read_input_tokens: count("cache_read_input_tokens"),
      cache_creation_input_tokens: count("cache_creation_input_tokens"),
    },
    modelFamily(model),
  );
}

/** How much of the first message an untitled session shows as its title. */
export const FIRST_MESSAGE_TITLE_LENGTH = 80;

/** The title an untitled session is listed under: its first message, cut at a word where it can be. */
export function titleFromFirstMessage(text: string | null): string | null {
  if (!text) return null;
  if (text.length <= FIRST_MESSAGE_TITLE_LENGTH) return text;
  const cut = text.slice(0, FIRST_MESSAGE_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > FIRST_MESSAGE_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
