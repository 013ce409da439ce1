import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import type { TWorkPrincipal } from "@/lib/environments/work/authenticate-work-token";
import type { TApiPrincipal } from "@/lib/teams/api-keys/authenticate-api-key";
import { errorResponse } from "./error-response";
import { readJsonBody } from "./read-json-body";

/** What the wrapper itself asks of the use-cases it is given: the API key check and the rate limit. */
export type TApiGate = {
  apiKeys: { authenticate(key: string): Promise<TApiPrincipal | null> };
  rateLimits: { take(apiKeyId: string): Promise<void> };
  /** A self-hosted work item's session token (lib/environments/work), for the routes that accept one. */
  workTokens?: { authenticate(token: string): Promise<TWorkPrincipal | null> };
  /** An environment key: one self-hosted environment's work queue, for the routes that accept one. */
  environmentKeys?: { authenticate(key: string): Promise<(TApiPrincipal & { environmentId: string }) | null> };
};

/**
 * Which routes a work item's token may call, and for what: `session` routes only for the item's
 * session (`params.sessionId`), `work` routes only for the item itself (`params.environmentId` and
 * `params.workId`), `skill` routes (reading a skill version) for the item's team, the handler
 * checking that the item's session names the skill (`ctx.work`), `memory` routes (a memory store's memories) for the item's team,
 * the handler checking that the item's session mounts the store, and may write it. A token on any other route is refused like an unknown key; on another session
 * or item, with a 403. `environmentKey`: an environment key is accepted for its own environment
 * (`params.environmentId`); for another environment it is a 403, on other routes an unknown key.
 */
export type TRouteOptions = { workToken?: "session" | "work" | "skill" | "memory"; environmentKey?: boolean };

export type TApiContext<TUseCases extends TApiGate = TApiGate> = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  teamId: string;
  apiKeyId: string;
  /** Set when a work item's token authenticated the request (only on routes that accept one). */
  work?: TWorkPrincipal;
  requestId: string;
  /** The use-cases, as the resolver returned them for this request. */
  useCases: TUseCases;
  /** The JSON body (size-limited, must be an object). */
  body(): Promise<Record<string, unknown>>;
  /**
   * Whether the request's key still authenticates as it did: false once an API key is revoked,
   * or a work item's token died (item stopped, lease run out, handed to another worker). For
   * responses that outlive the request's start, such as an event stream.
   */
  stillAuthorized(): Promise<boolean>;
};

type TRouteContext = { params: Promise<Record<string, string>> };

/**
 * Makes the /v1 route wrapper over the use-cases `resolve` returns. The wire layer sits below the
 * composition root (lib/server) and must not import it, so it is given a resolver instead; the one
 * binding to the booted root is `app/v1/api-route.ts` (the top layer may import lib/server), and
 * a test can bind the same wrapper to a root of its own. `resolve` is called per request, never
 * when a route module loads: `next build` loads them with nothing booted.
 */
export function createApiRoute<TUseCases extends TApiGate>(resolve: () => TUseCases) {
  return (handler: (ctx: TApiContext<TUseCases>) => Promise<unknown>, options: TRouteOptions = {}) => apiRoute(resolve, handler, options);
}

/**
 * Wraps a /v1 route handler: authenticates the API key (`x-api-key` or `Authorization: Bearer`),
 * applies the per-key rate limit, runs the handler, and turns its result into JSON (or passes a
 * Response through) and any error into the Anthropic error envelope. Every response carries a
 * `request-id`. `anthropic-version` and `anthropic-beta` are accepted whatever their value.
 */
function apiRoute<TUseCases extends TApiGate>(resolve: () => TUseCases, handler: (ctx: TApiContext<TUseCases>) => Promise<unknown>, options: TRouteOptions) {
  return async (request: Request, context: TRouteContext): Promise<Response> => {
    const requestId = newId("request");
    try {
      const useCases = resolve();
      const key = apiKeyOf(request.headers);
      if (!key) throw new AppError("unauthorized", "Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>.");
      const params = (await context.params) ?? {}; // already decoded by Next
      const principal = await authenticate(useCases, key, params, options);
      await useCases.rateLimits.take(principal.apiKeyId);
      const result = await handler({
        request,
        url: new URL(request.url),
        params,
        teamId: principal.teamId,
        apiKeyId: principal.apiKeyId,
        work: principal.work,
        requestId,
        useCases,
        body: () => readJsonBody(request),
        stillAuthorized: () => authenticate(useCases, key, params, options).then(() => true, () => false),
      });
      if (result instanceof Response) {
        result.headers.set("request-id", requestId);
        return result;
      }
      return new Response(JSON.stringify(result), { status: 200, headers: { "content-type": "application/json", "request-id": requestId } });
    } catch (error) {
      if (!(error instanceof AppError)) {
        log.error("api request failed", { requestId, method: request.method, path: new URL(request.url).pathname, error: error instanceof Error ? error.message : String(error) });
      }
      return errorResponse(error, requestId);
    }
  };
}

/** The team's API key, or (on a route that accepts one) a work item's token within its scope. */
async function authenticate(gate: TApiGate, key: string, params: Record<string, string>, options: TRouteOptions): Promise<TApiPrincipal & { work?: TWorkPrincipal }> {
  const principal = await gate.apiKeys.authenticate(key);
  if (principal) return principal;
  const scoped = options.environmentKey && gate.environmentKeys ? await gate.environmentKeys.authenticate(key) : null;
  if (scoped) {
    if (params.environmentId !== scoped.environmentId) throw new AppError("forbidden", `This environment key is scoped to environment ${scoped.environmentId} only.`);
    return { teamId: scoped.teamId, apiKeyId: scoped.apiKeyId };
  }
  const work = options.workToken && gate.workTokens ? await gate.workTokens.authenticate(key) : null;
  if (!work) throw new AppError("unauthorized", "Invalid API key.");
  const inScope =
    options.workToken === "skill" || options.workToken === "memory"
      ? true // narrowed to the session's skills or memory stores by the handler
      : options.workToken === "session"
        ? params.sessionId === work.sessionId
        : params.environmentId === work.environmentId && params.workId === work.workId;
  if (!inScope) throw new AppError("forbidden", `This token is scoped to ${options.workToken === "session" ? `session ${work.sessionId}` : `work ${work.workId}`} only.`);
  return { teamId: work.teamId, apiKeyId: work.workId, work };
}

function apiKeyOf(headers: Headers): string | null {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const auth = headers.get("authorization")?.trim();
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match ? match[1]!.trim() : null;
}
