// @ts-check
/**
 * The layers of the code and who may import whom (README, "Architecture: layers"), checked by
 * `npm run check:layers` as part of `npm test`. A dependency that breaks a rule fails the check,
 * unless it is listed in .dependency-cruiser-known-violations.json: the violations that were
 * there when the check came in, which later changes remove (that list only ever shrinks).
 *
 * Type-only imports count: a type names the module it comes from, so it ties the layers as much
 * as a value does.
 */

/** Paths are relative to the repository root, as dependency-cruiser reports them. */
const re = (/** @type {string[]} */ ...paths) => paths;

/** Base utilities: no domain knowledge, imported by every layer; they import only each other. lib/resource holds what every
 * resource's use-cases share (list queries, page cursors, metadata, parsing input against a schema);
 * lib/vercel-credentials.ts reads the VERCEL_* settings that lib/env.ts checks at boot. */
const BASE = re("^lib/(errors|ids|log|env|redact|vercel-credentials|project-root)\\.ts$", "^lib/db/", "^lib/generated/", "^lib/resource/");

/** The floor: the session log (events, folds, stores). */
const FLOOR = re("^lib/event-log/");

/**
 * The parts, side by side above the floor. Each may import the base, the floor, and the parts
 * named in its `may` list (the sideways imports that are part of the design); no other part.
 */
const PARTS = {
  model: { path: "^lib/model/", may: [] },
  realtime: { path: "^lib/realtime/", may: [] },
  vault: { path: "^lib/vault/", may: [] },
  // the egress proxy applies vault credentials outside the sandbox
  egress: { path: "^lib/egress/", may: ["vault"] },
  // a sandbox's only way out is the egress proxy
  sandbox: { path: "^lib/sandbox/", may: ["egress"] },
  // the built-in tools run against a Sandbox
  tools: { path: "^lib/tools/", may: ["sandbox"] },
  // MCP calls leave through the egress address policy, with tokens from the vault
  mcp: { path: "^lib/mcp/", may: ["egress", "vault"] },
  // traces of the model's requests and the sandboxes' work, made by decorators around their interfaces
  telemetry: { path: "^lib/telemetry/", may: ["model", "sandbox"] },
  // the brain drives the others: model, hands, tools, MCP, the vault's cipher, live events, its traces
  harness: { path: "^lib/harness/", may: ["model", "sandbox", "tools", "egress", "vault", "mcp", "realtime", "telemetry"] },
};
const ALL_PARTS = Object.values(PARTS).map((part) => part.path);

/** The use-cases of the resources (one verb-noun per file), and the views folded for them. */
const USE_CASES = re("^lib/(agents|environments|sessions|share|teams|auth|timeline|memory-stores|files|skills|webhooks|deployments|dreams)/");

/** Wire mapping of the HTTP API (route wrapper, cursors, queries, error envelope). */
const API = re("^lib/api/");

/** The composition root: builds the parts and binds the use-cases to them (boot.ts, composition-root.ts). */
const SERVER = re("^lib/server/");

/** Everything of ours above lib/: routes and pages, React UI, the process entry points. */
const TOP = re("^app/", "^components/", "^scripts/", "^server\\.ts$", "^proxy\\.ts$");

const OURS = [...BASE, ...FLOOR, ...ALL_PARTS, ...USE_CASES, ...API, ...SERVER, ...TOP, "^lib/", "^tests/"];

/**
 * Modules that must never reach the browser bundle. Each of ours begins with `import "server-only"`
 * (tests/unit/layers/server-only-marker.test.ts reads this list), so Next's build also fails when a
 * client component reaches one through other modules. The exceptions are pure shapes that the
 * browser's forms read: which sandbox provider and config an environment has, a credential's
 * public auth and its schemas, the webhook event types.
 */
const SERVER_ONLY = re(
  "^lib/(db|generated|harness|egress|mcp|server|telemetry)/",
  "^lib/sandbox/(?!provider-choice\\.ts$|environment-config\\.ts$)",
  "^lib/event-log/(prisma/|in-memory-session-store)",
  "^lib/vault/(?!ui/|credential-auth\\.ts$|schemas\\.ts$)",
  "^lib/memory-stores/(?!ui/|memory-actor\\.ts$|schemas\\.ts$)",
  "^lib/files/(?!sniff-mime-type\\.ts$|upload-input\\.ts$)",
  "^lib/sessions/workspace/(?!workspace-entry\\.ts$)",
  "^lib/skills/(?!skill-folder\\.ts$)",
  "^lib/webhooks/(?!event-types\\.ts$)",
  "^lib/deployments/(?!schemas\\.ts$|cron-schedule\\.ts$)",
  "^lib/dreams/(?!schemas\\.ts$|dream-status\\.ts$|dream-to-wire\\.ts$|dream-transcript\\.ts$)",
  "^lib/env\\.ts$",
  "(^|/)node_modules/(@prisma|prisma|pg|pg-[a-z-]+|@electric-sql|pglite-prisma-adapter|socket\\.io|@socket\\.io|redis|@redis|@vercel/sandbox|@node-rs|server-only)/",
);

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules that import each other, directly or around a loop: one of them belongs lower, or the shared part in a third module.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-not-to-top",
      severity: "error",
      comment: "lib/ never imports app/, components/, scripts/, server.ts, proxy.ts or tests/: they are built on lib/, not the other way round.",
      from: { path: "^lib/" },
      to: { path: [...TOP, "^tests/"] },
    },
    {
      name: "production-not-to-tests",
      severity: "error",
      comment: "Only tests import tests/ (fixtures, fakes): production code gets fakes injected.",
      from: { path: TOP },
      to: { path: "^tests/" },
    },
    {
      name: "base-imports-base",
      severity: "error",
      comment: "Base utilities (lib/errors, ids, log, env, redact, db, generated Prisma client) know no domain: they import only each other.",
      from: { path: BASE },
      to: { path: OURS, pathNot: BASE },
    },
    {
      name: "floor-imports-base",
      severity: "error",
      comment: "lib/event-log, the log, is the floor: it imports only the base. A part that must react to the log gets a hook (an append listener, an interface it is given).",
      from: { path: FLOOR },
      to: { path: OURS, pathNot: [...BASE, ...FLOOR] },
    },
    ...Object.entries(PARTS).map(([name, part]) => ({
      name: `part-${name}`,
      severity: /** @type {const} */ ("error"),
      comment:
        `lib/${name} may import the base, the floor (lib/event-log)` +
        (part.may.length ? ` and, side by side, lib/${part.may.join(", lib/")}` : "") +
        "; nothing above it (use-cases, api, server, app). Needs from above are passed in as an interface or a function by the composition root.",
      from: { path: part.path },
      to: { path: OURS, pathNot: [...BASE, ...FLOOR, part.path, ...part.may.map((may) => PARTS[/** @type {keyof typeof PARTS} */ (may)].path)] },
    })),
    {
      name: "use-cases-import-below",
      severity: "error",
      comment: "Use-cases (agents, environments, sessions, share, teams, auth, timeline) import the base, the floor, the parts and each other; not lib/api, lib/server or above.",
      from: { path: USE_CASES },
      to: { path: OURS, pathNot: [...BASE, ...FLOOR, ...ALL_PARTS, ...USE_CASES] },
    },
    {
      name: "api-imports-below",
      severity: "error",
      comment: "lib/api (wire mapping) imports everything below it, not the composition root lib/server.",
      from: { path: API },
      to: { path: OURS, pathNot: [...BASE, ...FLOOR, ...ALL_PARTS, ...USE_CASES, ...API] },
    },
    {
      name: "components-not-server-only",
      severity: "error",
      comment: "components/ is browser code: no database, Prisma, vault internals, harness, sandbox, egress, MCP or runtime; it gets data as props from app/.",
      from: { path: "^components/" },
      to: { path: SERVER_ONLY },
    },
    {
      name: "components-no-node-builtins",
      severity: "error",
      comment: "components/ is browser code: no Node built-in modules.",
      from: { path: "^components/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "components-not-to-app",
      severity: "error",
      comment: "components/ is used by app/, never the other way round.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
  ],
  options: {
    // Packages are leaves: which package a module imports is checked, not what the package imports.
    // The generated Prisma client is checked as a target (who imports it), not cruised.
    doNotFollow: { path: ["node_modules", "^lib/generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
