import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * `@` is the repository root (as in tsconfig.json). `server-only` resolves to the package's empty
 * module, as on a React server and in our Node processes (scripts/node-hooks.mjs): tests are server code.
 */
const alias = { "@": root, "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)) };

/** A project whose files start the real server (built once by the global setup) in child processes. */
const serverProject = (name: string, include: string): TestProjectInlineConfiguration => ({
  resolve: { alias },
  test: { name, include: [include], environment: "node", testTimeout: 120_000, hookTimeout: 120_000, pool: "forks", globalSetup: ["tests/global-setup.ts"] },
});

// Three projects: `unit` is fast and does no I/O; `integration` talks to real PostgreSQL, PGlite,
// real sockets and real sandboxes; `e2e` drives the app in Debian's Chromium through the page
// objects in tests/e2e/pages. Integration and e2e files get generous timeouts because PGlite's
// first open (WebAssembly Postgres) takes a few seconds on a 2-core machine.
export default defineConfig({
  resolve: { alias },
  test: {
    // Two files at a time: most integration files wait on servers, sandboxes and browsers rather
    // than compute, and Vitest's default on a 2-core machine (cores - 1) runs them one by one.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        // unit tests do no I/O, but share two cores with the integration project: a wide timeout
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", testTimeout: 30_000 },
      },
      serverProject("integration", "tests/integration/**/*.test.ts"),
      serverProject("e2e", "tests/e2e/**/*.test.ts"),
    ],
  },
});
