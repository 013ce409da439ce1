import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Two projects: `unit` is fast and does no I/O; `integration` talks to real PostgreSQL, PGlite,
// real sockets and real sandboxes. Integration files get generous timeouts because PGlite's
// first open (WebAssembly Postgres) takes a few seconds on a 2-core machine.
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    // Two files at a time: most integration files wait on servers, sandboxes and browsers rather
    // than compute, and Vitest's default on a 2-core machine (cores - 1) runs them one by one.
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias: { "@": root } },
        // unit tests do no I/O, but share two cores with the integration project: a wide timeout
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", testTimeout: 30_000 },
      },
      {
        resolve: { alias: { "@": root } },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          globalSetup: ["tests/global-setup.ts"],
        },
      },
    ],
  },
});
