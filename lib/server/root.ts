import "server-only";
import type { TRoot } from "./composition-root";

/**
 * Where the booted process keeps its composition root: `boot()` builds it once and installs it,
 * its `close()` removes it, and route handlers, server actions and pages ask for it with
 * `useCases()`.
 *
 * Why `globalThis`: the custom server (server.ts, loaded by tsx) and Next's bundled route code each
 * get their own copy of every module, so a module-level variable set by boot() would be unset in
 * the copy the routes run. `globalThis` is the one object both copies share (and it outlives the
 * route modules Next reloads in development). This module is the only place the root touches it.
 */
const KEY = Symbol.for("open-managed-agents.root");
type TGlobal = typeof globalThis & { [KEY]?: TRoot };

/** Installs the booted root (or removes it, with undefined). Called by boot() only. */
export function installRoot(root: TRoot | undefined): void {
  (globalThis as TGlobal)[KEY] = root;
}

/** The use-cases of the booted process, bound to its parts. */
export function useCases(): TRoot {
  const root = (globalThis as TGlobal)[KEY];
  if (!root) throw new Error("The server is not booted: start the app with `npm start` or `npm run dev`.");
  return root;
}
