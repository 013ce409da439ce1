import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root folder: the nearest one above `from` (this module by default) that holds
 * next.config.js (not package.json: Next writes one into `.next` too). The same answer whether the code runs from its sources (lib/, through tsx) or
 * from the server's production bundle (`.next/oma/server.mjs`, scripts/bundle-server.ts), whose
 * own location is elsewhere: paths the code needs (prisma/migrations, Next's app folder) are
 * found from here, never relative to the module's own file.
 */
export function projectRoot(from: string = import.meta.url): string {
  let dir = path.dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    if (fs.existsSync(path.join(dir, "next.config.js"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no next.config.js above ${from}: the project folder cannot be found`);
    dir = parent;
  }
}
