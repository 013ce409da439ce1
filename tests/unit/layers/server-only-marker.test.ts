import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The modules that must never reach a browser bundle are named once, in .dependency-cruiser.cjs
 * (the `components-not-server-only` rule). Each of ours among them begins with
 * `import "server-only"`, so that Next's build fails when a client component imports it, even
 * through other modules (the dependency check sees direct imports only). The generated Prisma
 * client is left as generated: it is reached only through lib/db, which carries the marker.
 */

type TRule = { name: string; to: { path?: string | string[] } };
const config = createRequire(import.meta.url)(path.resolve(".dependency-cruiser.cjs")) as { forbidden: TRule[] };

function serverOnlyPatterns(): RegExp[] {
  const rule = config.forbidden.find((r) => r.name === "components-not-server-only");
  const paths = [rule?.to.path ?? []].flat();
  return paths.filter((p) => p.startsWith("^lib/") && !p.startsWith("^lib/(generated")).map((p) => new RegExp(p));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The first statement of a module, comments and blank lines skipped. */
function firstStatement(source: string): string {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return code.trim().split("\n")[0]!.trim();
}

describe("server-only modules", () => {
  const patterns = serverOnlyPatterns();
  const files = sourceFiles("lib").filter((file) => patterns.some((p) => p.test(file)));

  it("are named by the dependency check, and there are many of them", () => {
    expect(patterns.length).toBeGreaterThanOrEqual(4);
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain("lib/db/open-database.ts");
    expect(files).toContain("lib/vault/cipher.ts");
  });

  it('each begin with import "server-only"', () => {
    const unmarked = files.filter((file) => firstStatement(fs.readFileSync(file, "utf8")) !== 'import "server-only";');
    expect(unmarked).toEqual([]);
  });

  it("no module outside them carries the marker, so the list stays the one source", () => {
    const extra = sourceFiles("lib").filter((file) => !files.includes(file) && /^import "server-only";$/m.test(fs.readFileSync(file, "utf8")));
    expect(extra).toEqual([]);
  });
});
