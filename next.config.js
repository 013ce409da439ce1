// @ts-check

// Telemetry stays off for every Next.js command that loads this file.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Loaded from node_modules at runtime instead of bundled: WebAssembly engines that find
  // their files next to themselves, native drivers, and the realtime server.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "pg",
    "@prisma/adapter-pg",
    "socket.io",
  ],
  typedRoutes: false,
  // Type-checking is done once for the whole tree (app, lib, tests, scripts) by `tsc --noEmit`,
  // the first step of `npm test`; `next build` skips it, so that `npm start` on a fresh clone
  // builds quickly and a type error in a test file cannot keep the app from starting.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default nextConfig;
