import { mkdirSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildAppSync } from "../scripts/build-app";
import { buildReason, ROOT } from "../scripts/build-reason";
import { ensurePgliteTemplate, pgliteTemplateDir } from "./fixtures/pglite-template";

const LOCK = join(ROOT, "node_modules", ".cache", "oma-next-build.lock");
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 15 * 60_000;

/**
 * Builds the app once, before any integration test file runs, when the build is missing or stale:
 * test files start the production server. Several test runs at once (one per terminal, say) take
 * turns through a lock directory, since concurrent `next build`s would clobber `.next`; whoever
 * gets the lock second finds the build fresh and skips it. The migrated embedded database that
 * test servers boot on (fixtures/pglite-template.ts) is made under the same lock.
 */
export default function setup(): void {
  if (!buildReason() && templateReady()) return;
  acquireLock();
  try {
    ensurePgliteTemplate();
    const reason = buildReason();
    if (!reason) return;
    console.log(`building the app for the integration tests (${reason})…`);
    buildAppSync(); // `next build`, then the production server's bundle that test files start
  } finally {
    rmdirSync(LOCK);
  }
}

function templateReady(): boolean {
  return statSync(join(pgliteTemplateDir(), "ready"), { throwIfNoEntry: false }) !== undefined;
}

function acquireLock(): void {
  mkdirSync(join(LOCK, ".."), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmdirSync(LOCK, { recursive: false });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    }
  }
}
