import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import type { TApiPrincipal } from "@/lib/teams/api-keys/authenticate-api-key";
import { errorResponse } from "./error-response";
import { readJsonBody } from "./read-json-body";

/** What the wrapper itself asks of the use-cases it is given: the API key check and the rate limit. */
export type TApiGate = {
  apiKeys: { authenticate(key: string): Promise<TApiPrincipal | null> };
  rateLimits: { take(apiKeyId: string): Promise<void> };
};

export type TApiContext<TUseCases extends TApiGate = TApiGate> = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  teamId: string;
  apiKeyId: string;
  requestId: string;
  /** The use-cases, as the resolver returned them for this request. */
  useCases: TUseCases;
  /** The JSON body (size-limited, must be an object). */
  body(): Promise<Record<string, unknown>>;
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
  return (handler: (ctx: TApiContext<TUseCases>) => Promise<unknown>) => apiRoute(resolve, handler);
}

/**
 * Wraps a /v1 route handler: authenticates the API key (`x-api-key` or `Authorization: Bearer`),
 * applies the per-key rate limit, runs the handler, and turns its result into JSON (or passes a
 * Response through) and any error into the Anthropic error envelope. Every response carries a
 * `request-id`. `anthropic-version` and `anthropic-beta` are accepted whatever their value.
 */
function apiRoute<TUseCases extends TApiGate>(resolve: () => TUseCases, handler: (ctx: TApiContext<TUseCases>) => Promise<unknown>) {
  return async (request: Request, context: TRouteContext): Promise<Response> => {
    const requestId = newId("request");
    try {
      const useCases = resolve();
      const key = apiKeyOf(request.headers);
      if (!key) throw new AppError("unauthorized", "Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>.");
      const principal = await useCases.apiKeys.authenticate(key);
      if (!principal) throw new AppError("unauthorized", "Invalid API key.");
      await useCases.rateLimits.take(principal.apiKeyId);
      const params = (await context.params) ?? {}; // already decoded by Next
      const result = await handler({
        request,
        url: new URL(request.url),
        params,
        teamId: principal.teamId,
        apiKeyId: principal.apiKeyId,
        requestId,
        useCases,
        body: () => readJsonBody(request),
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

function apiKeyOf(headers: Headers): string | null {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const auth = headers.get("authorization")?.trim();
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match ? match[1]!.trim() : null;
}
