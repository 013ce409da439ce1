/** One segment of a route's path: a fixed name, or `[name]` (any one non-empty segment). */
type TSegment = { kind: "static"; value: string } | { kind: "param"; name: string };

export type TRoutePattern = { pattern: string; segments: readonly TSegment[] };

const PARAM = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/;

/** Parses `/v1/sessions/[sessionId]` into its segments; throws on a catch-all or an optional segment, which the table does not support. */
export function parseRoutePattern(pattern: string): TRoutePattern {
  if (!pattern.startsWith("/")) throw new Error(`A route pattern starts with "/": ${pattern}`);
  const segments = pattern
    .slice(1)
    .split("/")
    .map((part): TSegment => {
      const param = PARAM.exec(part);
      if (param) return { kind: "param", name: param[1]! };
      if (part === "" || part.includes("[") || part.includes("]")) throw new Error(`Unsupported route segment "${part}" in ${pattern}`);
      return { kind: "static", value: part };
    });
  return { pattern, segments };
}

/**
 * The params of `pathname` (no query) under `route`, or null when it does not match. Decisions, as
 * Next matches app routes: a fixed segment compares as sent (not decoded); a `[name]` takes one
 * non-empty segment, decoded with decodeURIComponent; a malformed %-escape is no match (Next then
 * answers it itself). An empty segment (`//`, a trailing `/`) matches nothing, so Next still
 * redirects a trailing slash as before.
 */
export function matchRoutePattern(route: TRoutePattern, pathname: string): Record<string, string> | null {
  const parts = pathname.slice(1).split("/");
  if (!pathname.startsWith("/") || parts.length !== route.segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if (segment.kind === "static") {
      if (part !== segment.value) return null;
      continue;
    }
    if (part === "") return null;
    try {
      params[segment.name] = decodeURIComponent(part);
    } catch {
      return null;
    }
  }
  return params;
}

/**
 * Orders routes so that the first match is the one Next would pick: at the first segment where two
 * routes differ in kind, the fixed one comes first (`work/poll` before `work/[workId]`).
 */
export function bySpecificity(a: TRoutePattern, b: TRoutePattern): number {
  const shape = (route: TRoutePattern) => route.segments.map((segment) => (segment.kind === "static" ? "0" : "1")).join("");
  const [left, right] = [shape(a), shape(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}
