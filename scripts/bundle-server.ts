import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { ROOT, SERVER_BUNDLE } from "./build-reason";

/**
 * `npm run build`'s second step (after `next build`): bundles the production server (`server.ts`
 * and the lib/ code it runs: the composition root, the harness, Socket.io's server) into one file,
 * `.next/oma/server.mjs`, which `npm start` and the tests run with plain Node.
 *
 * Decision: the production server does not load its TypeScript through tsx at every start. tsx
 * resolves and loads every module, the installed packages' too, through Node's module hooks in a
 * thread of their own, and that was about half of a web process's start (2–3 s of 5–6 here). The
 * bundle holds our own code, already compiled; the installed packages stay outside it and load
 * natively (`packages: "external"`). `npm run dev`, the worker, the CLI and the scripts still run
 * from the sources through tsx. What the bundle must not hard-code, it finds at run time: the
 * project folder (lib/project-root.ts), hence prisma/migrations and Next's app.
 */
const OUT_DIR = dirname(SERVER_BUNDLE);

export async function bundleServer(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, "server.ts")],
    outdir: OUT_DIR,
    entryNames: "server",
    outExtension: { ".js": ".mjs" },
    // what the code imports only when it needs it (the Vercel provider, S3 storage) stays in chunks
    // of its own, loaded as late as from the sources: their packages are not loaded at start
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    // as tsconfig.json's paths, and `server-only` as a React server resolves it (scripts/node-hooks.mjs)
    alias: { "@": ROOT, "server-only": join(ROOT, "node_modules", "server-only", "empty.js") },
    // packages that are CommonJS still get `require` in an ES module
    banner: { js: 'import { createRequire as __ccr } from "node:module"; const require = __ccr(import.meta.url);' },
    sourcemap: "linked",
    logLevel: "warning",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await bundleServer();
  console.log(`server bundled: ${SERVER_BUNDLE.slice(ROOT.length)}`);
}
