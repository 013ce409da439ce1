import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Whether the production build (`.next`) is missing or older than the sources it was built from.
// Used by `npm start` and by the test suite's global setup (which builds once for every test file).

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD_ID = join(ROOT, ".next", "BUILD_ID");
/** The production server's bundle (scripts/bundle-server.ts), the build's last step: what `npm start` and the tests run. */
export const SERVER_BUNDLE = join(ROOT, ".next", "oma", "server.mjs");
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["next.config.js", "postcss.config.mjs", "package.json", "server.ts"];

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestMtimeUnder(dir: string): number {
  let newest = mtimeOf(dir) ?? 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeUnder(path) : (mtimeOf(path) ?? 0);
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Why a build is needed, or undefined when the existing build is current. */
export function buildReason(): string | undefined {
  const built = mtimeOf(BUILD_ID);
  if (built === undefined) return "first start only";
  if (mtimeOf(SERVER_BUNDLE) === undefined) return "the server's bundle is missing";
  const sources = [
    ...SOURCE_DIRS.map((dir) => newestMtimeUnder(join(ROOT, dir))),
    ...SOURCE_FILES.map((file) => mtimeOf(join(ROOT, file)) ?? 0),
  ];
  return Math.max(...sources) > built ? "sources changed since the last build" : undefined;
}

