import { HTTP_METHODS, type TApiRouteTable, type TRouteHandler } from "./api-route-table";
import { bySpecificity, matchRoutePattern, parseRoutePattern, type TRoutePattern } from "./route-pattern";

export type TRouteMatch = { handler: TRouteHandler; params: Record<string, string> };

type TCompiledRoute = TRoutePattern & { handlers: Partial<Record<string, TRouteHandler>> };

/**
 * Finds the handler a /v1 request goes to: `find(method, pathname)` is the route module's exported
 * handler for the method with the path's params, or null. Decision: only a path that matches AND a
 * method the module exports is a match; everything else (no such route, a method it does not export,
 * HEAD or OPTIONS unless exported) is null, and the caller leaves it to Next, whose 404 and 405
 * answers stay as they were. The patterns are parsed once, here, not per request.
 */
export function createApiRouteFinder(table: TApiRouteTable): (method: string, pathname: string) => TRouteMatch | null {
  const routes: TCompiledRoute[] = table
    .map((entry) => ({ ...parseRoutePattern(entry.pattern), handlers: handlersOf(entry.module) }))
    .sort(bySpecificity);
  return (method, pathname) => {
    for (const route of routes) {
      const params = matchRoutePattern(route, pathname);
      if (!params) continue;
      const handler = route.handlers[method];
      return handler ? { handler, params } : null; // the most specific path decides, as in Next
    }
    return null;
  };
}

function handlersOf(module: Readonly<Record<string, unknown>>): Partial<Record<string, TRouteHandler>> {
  const handlers: Partial<Record<string, TRouteHandler>> = {};
  for (const method of HTTP_METHODS) {
    const handler = module[method];
    if (typeof handler === "function") handlers[method] = handler as TRouteHandler;
  }
  return handlers;
}
