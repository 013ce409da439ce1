import { z } from "zod";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/ids";
import { parseWith } from "@/lib/resource/parse";

/** The statuses a session can be listed by. */
export const SESSION_LIST_STATUSES = ["idle", "running", "rescheduling", "terminated"] as const;

/** Longest search the list takes (a search is a substring of a title, not a document). */
export const SEARCH_MAX = 200;

const ZSessionId = z.string().refine((id) => isId("session", id), { error: "must be a session id (sesn_…)" });

/**
 * What the sessions list shows: a search in titles and first messages (`q`), one status, one
 * agent, one person who started the sessions (a member's `user_…` or an API key's `apikey_…`), and
 * where the page starts — `after` a session (older ones) or `before` one (newer ones). All are in
 * the page's address, so a filtered page can be shared.
 */
export const ZSessionListQuerySchema = z.strictObject({
  q: z.string().trim().max(SEARCH_MAX, { error: `use at most ${SEARCH_MAX} characters` }).optional(),
  status: z.enum(SESSION_LIST_STATUSES, { error: `must be one of ${SESSION_LIST_STATUSES.join(", ")}` }).optional(),
  agent: z.string().refine((id) => isId("agent", id), { error: "must be an agent id (agent_…)" }).optional(),
  by: z.string().refine((id) => isId("user", id) || isId("apiKey", id), { error: "must be a member (user_…) or an API key (apikey_…)" }).optional(),
  after: ZSessionId.optional(),
  before: ZSessionId.optional(),
});
export type TSessionListQuery = z.infer<typeof ZSessionListQuerySchema>;

/** A parameter of the address that the list did not use, and why. */
export type TIgnoredParam = { name: string; value: string; reason: string };

type TSearchParams = Record<string, string | string[] | undefined>;

const NAMES = Object.keys(ZSessionListQuerySchema.shape) as (keyof TSessionListQuery)[];

/**
 * Reads the list's query from the page's address. Decision: a bad value is ignored, and named in
 * `ignored` so the page can say so, rather than refusing the page: an address shared last month may
 * name an agent since archived or a cursor of a session since deleted, and its reader still wants a
 * list. A repeated parameter counts once (its first value); parameters the list does not know
 * (`deleted`, …) are none of its business and are left alone. Empty values mean "no filter".
 */
export function readSessionListQuery(params: TSearchParams): { query: TSessionListQuery; ignored: TIgnoredParam[] } {
  const query: TSessionListQuery = {};
  const ignored: TIgnoredParam[] = [];
  for (const name of NAMES) {
    const raw = params[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value.trim() === "") continue;
    // a longer search from the address is cut rather than dropped: what it starts with still finds
    const field = ZSessionListQuerySchema.shape[name].safeParse(name === "q" ? value.trim().slice(0, SEARCH_MAX) : value);
    if (field.success) {
      if (field.data !== undefined && field.data !== "") Object.assign(query, { [name]: field.data });
    } else {
      ignored.push({ name, value: value.slice(0, 80), reason: field.error.issues[0]?.message ?? "not valid" });
    }
  }
  if (query.after && query.before) {
    ignored.push({ name: "before", value: query.before, reason: "a page starts either after or before a session, not both" });
    delete query.before;
  }
  return { query, ignored };
}

/** Checks a query given to the list use-case directly; the error names the field (`status: …`). */
export function parseSessionListQuery(value: unknown): TSessionListQuery {
  const query = parseWith(ZSessionListQuerySchema, value, "query");
  if (query.after && query.before) throw new AppError("invalid_request", "query.before: give after or before, not both", { path: "query.before" });
  return query;
}

/** The address of the list for `query` (empty filters left out), e.g. `?status=idle&after=sesn_…`. */
export function sessionListSearch(query: TSessionListQuery): string {
  const params = new URLSearchParams();
  for (const name of NAMES) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}
