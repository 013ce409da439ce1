import type { IncomingMessage, ServerResponse } from "node:http";
import type { TApiRouteTable } from "./api-route-table";
import { createApiRouteFinder } from "./find-api-route";
import { mayGzip } from "./json-answer";
import { sendWebResponse } from "./send-web-response";
import { toWebRequest } from "./to-web-request";

/** Serves one request that has a route into its response; the caller awaits it (and answers a 500 if it throws). */
export type TServeDirectly = (res: ServerResponse) => Promise<void>;

/**
 * The custom server's own dispatch of the /v1 API. The function returned, given a request, answers
 * how to serve it with the route module's handler, or undefined when Next must serve it (any path outside /v1/,
 * a path without a route, a method the route does not export).
 *
 * Decision: the server calls the very handlers Next would call, without Next's router and app
 * route runtime, which cost about 3 ms per API request and 10–15 % of the server's CPU under load
 * (measured with `npm run bench:ttft` and `bench:api`). Nothing else changes: the handlers
 * authenticate, rate-limit and answer as before.
 */
export function createDirectApi(table: TApiRouteTable): (req: IncomingMessage) => TServeDirectly | undefined {
  const find = createApiRouteFinder(table);
  return (req) => {
    const target = req.url;
    if (!target?.startsWith("/v1/") || !req.method) return undefined;
    const query = target.indexOf("?");
    const pathname = query === -1 ? target : target.slice(0, query);
    const match = find(req.method, pathname);
    if (!match) return undefined;
    let url: URL;
    try {
      url = new URL(`http://${req.headers.host ?? "localhost"}${target}`);
    } catch {
      return undefined; // a host header no URL takes: Next answers it as before
    }
    return async (res) => {
      const response = await match.handler(toWebRequest(req, res, url), { params: Promise.resolve(match.params) });
      await sendWebResponse(response, res, pathname, mayGzip(req.method, req.headers["accept-encoding"]));
    };
  };
}
