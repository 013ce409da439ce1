/** The methods a route module may export a handler for, as Next's app routes know them. */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A route module's handler, as Next calls it: the web Request and the route's params (decoded). */
export type TRouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * One /v1 route: its path as its folder names it (`/v1/sessions/[sessionId]/events`) and the route
 * module itself (`import * as … from ".../route"`), whose exported GET/POST/… the server calls.
 */
export type TApiRouteEntry = { pattern: string; module: Readonly<Record<string, unknown>> };

export type TApiRouteTable = readonly TApiRouteEntry[];
