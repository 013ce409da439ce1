import { describe, expect, it } from "vitest";
import { createApiRouteFinder } from "@/lib/api/dispatch/find-api-route";
import type { TRouteHandler } from "@/lib/api/dispatch/api-route-table";
import { parseRoutePattern } from "@/lib/api/dispatch/route-pattern";

const handler = (name: string): TRouteHandler => Object.assign(async () => new Response(name), { label: name });
const labelOf = (match: { handler: TRouteHandler } | null) => (match ? (match.handler as unknown as { label: string }).label : null);

const find = createApiRouteFinder([
  { pattern: "/v1/environments/[environmentId]/work/[workId]", module: { GET: handler("work item"), DELETE: handler("delete work") } },
  { pattern: "/v1/environments/[environmentId]/work/poll", module: { GET: handler("poll"), runtime: "nodejs" } },
  { pattern: "/v1/sessions", module: { GET: handler("list"), POST: handler("create"), dynamic: "force-dynamic" } },
  { pattern: "/v1/sessions/[sessionId]/events", module: { GET: handler("events") } },
]);

describe("finding a /v1 route", () => {
  it("matches the path and an exported method, with the params decoded", () => {
    expect(labelOf(find("POST", "/v1/sessions"))).toBe("create");
    const events = find("GET", "/v1/sessions/sesn%2F1%20x/events");
    expect(labelOf(events)).toBe("events");
    expect(events?.params).toEqual({ sessionId: "sesn/1 x" });
  });

  it("prefers a fixed segment to a param, whatever the table's order", () => {
    expect(labelOf(find("GET", "/v1/environments/env_1/work/poll"))).toBe("poll");
    expect(find("GET", "/v1/environments/env_1/work/poll")?.params).toEqual({ environmentId: "env_1" });
    expect(labelOf(find("GET", "/v1/environments/env_1/work/work_1"))).toBe("work item");
    // the route Next picks does not export DELETE: Next answers it (405), not the param route
    expect(find("DELETE", "/v1/environments/env_1/work/poll")).toBeNull();
  });

  it("leaves to Next what it would answer itself: unknown paths, methods not exported, HEAD and OPTIONS", () => {
    expect(find("GET", "/v1/nothing")).toBeNull();
    expect(find("DELETE", "/v1/sessions")).toBeNull();
    expect(find("HEAD", "/v1/sessions")).toBeNull();
    expect(find("OPTIONS", "/v1/sessions")).toBeNull();
    expect(find("runtime", "/v1/environments/e/work/poll")).toBeNull();
  });

  it("matches no empty segment, trailing slash or malformed escape", () => {
    expect(find("GET", "/v1/sessions/")).toBeNull();
    expect(find("GET", "/v1//events")).toBeNull();
    expect(find("GET", "/v1/sessions//events")).toBeNull();
    expect(find("GET", "/v1/sessions/%E0%A4%A/events")).toBeNull();
    expect(find("GET", "v1/sessions")).toBeNull();
  });

  it("refuses a pattern it cannot match as Next does", () => {
    expect(() => parseRoutePattern("/v1/files/[...path]")).toThrow(/Unsupported/);
    expect(() => parseRoutePattern("v1/files")).toThrow(/starts with/);
    expect(() => parseRoutePattern("/v1/files/")).toThrow(/Unsupported/);
  });
});
