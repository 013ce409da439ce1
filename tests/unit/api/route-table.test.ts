import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { apiRoutes } from "@/app/v1/routes";

/**
 * app/v1/routes.ts lists every /v1 route module for the server's own dispatch (lib/api/dispatch):
 * a route file missing there would be served by Next only, and an entry whose pattern is not its
 * file's folder would answer the wrong path.
 */
const V1 = join(process.cwd(), "app", "v1");

function routeFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return routeFolders(join(dir, entry.name));
    return entry.name === "route.ts" ? ["/" + relative(join(V1, ".."), dir).split(sep).join("/")] : [];
  });
}

describe("the /v1 route table", () => {
  const folders = routeFolders(V1).sort();

  it("lists every app/v1/**/route.ts once, and no other", () => {
    const patterns = apiRoutes.map((route) => route.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
    expect([...patterns].sort()).toEqual(folders);
  });

  it("pairs each pattern with its own folder's module", async () => {
    for (const route of apiRoutes) {
      const module = (await import(/* @vite-ignore */ join(V1, "..", route.pattern, "route.ts"))) as Record<string, unknown>;
      expect(route.module, route.pattern).toBe(module);
    }
  });

  it("names only modules that export at least one handler", () => {
    for (const route of apiRoutes) {
      const methods = Object.keys(route.module).filter((name) => /^(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)$/.test(name));
      expect(methods.length, route.pattern).toBeGreaterThan(0);
    }
  });
});
