import "server-only";
/**
 * Prisma's schema engine (the part behind `prisma migrate`), run in-process from its WebAssembly
 * build `@prisma/schema-engine-wasm` over a driver adapter, so migrations work without the native
 * `schema-engine` binary and against any database a driver adapter can reach (PostgreSQL, PGlite).
 *
 * Plain Node module: no Next.js imports, nothing runs at import time. The WebAssembly module is
 * loaded on first use from its installed location (never bundled).
 *
 *   const result = await withSchemaEngine(new PrismaPg({ connectionString }), (engine) =>
 *     engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } }),
 *   );
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

export type {
  ApplyMigrationsOutput,
  DiagnoseMigrationHistoryOutput,
  DiffParams,
  DiffResult,
  MigrationDirectory,
  MigrationList,
  SchemaContainer,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";

export interface SchemaEngineOptions {
  /** Schema files the engine starts with as `[path, content]` pairs; most commands take their own. */
  datamodels?: [string, string][];
  /** Receives the engine's log lines (JSON strings). Dropped when absent. */
  log?: (line: string) => void;
}

/** An error reported by the schema engine, with its Prisma error code when it has one (e.g. P3018). */
export class SchemaEngineError extends Error {
  readonly code: string | undefined;
  readonly meta: unknown;

  constructor(message: string, options: { code?: string; meta?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "SchemaEngineError";
    this.code = options.code;
    this.meta = options.meta;
  }
}

/** The empty filter: no externally managed tables or enums. */
export const NO_SCHEMA_FILTER = { externalTables: [], externalEnums: [] } as const satisfies {
  externalTables: string[];
  externalEnums: string[];
};

/**
 * Creates a schema engine over `adapterFactory`, runs `fn` with it and always frees it afterwards
 * (also on error). Errors from the engine come out as `SchemaEngineError` with a readable message;
 * errors thrown by the adapter's own code are unwrapped to the original error.
 *
 * The engine's connections are opened through the factory and closed when the engine is freed.
 * Once no engine is alive any more, the timers the engine left behind are cleared so a script
 * can exit.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  options: SchemaEngineOptions = {},
): Promise<T> {
  const wasm = await loadEngineModule();
  const connections = trackConnections(adapterFactory);
  const bound = bindMigrationAwareSqlAdapterFactory(connections.factory);
  const log = options.log ?? (() => {});
  const datamodels = options.datamodels && options.datamodels.length > 0 ? options.datamodels : undefined;

  activeEngines += 1;
  let engine: SchemaEngine | undefined;
  try {
    try {
      engine = await wasm.SchemaEngine.new({ datamodels }, (line: unknown) => log(String(line)), bound);
    } catch (error) {
      throw translateEngineError(error, bound);
    }
    return await fn(wrapEngine(engine, bound));
  } finally {
    try {
      engine?.free();
    } catch {
      // A panicked engine may fail to free; the instance is dropped below anyway.
    }
    activeEngines -= 1;
    if (activeEngines === 0) clearEngineTimers();
    // The engine does not always dispose the connections it opened (a pg pool or a PGlite
    // instance would keep the process alive): close whatever it left open.
    await connections.disposeAll();
  }
}

/**
 * Turns whatever the engine or an adapter threw into a readable error. Exposed for callers that
 * drive an engine outside `withSchemaEngine`'s wrapping.
 */
export function translateEngineError(
  error: unknown,
  bound?: ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
): Error {
  if (error instanceof SchemaEngineError) return error;
  const record = lookupAdapterError(error, bound);
  if (record) return record;

  if (isWasmPanic(error)) {
    const panic = panicRegistry().get();
    // A panic leaves the WebAssembly instance in an undefined state: load a fresh one next time.
    enginePromise = undefined;
    return new SchemaEngineError(`Prisma schema engine panicked: ${panic || (error as Error).message}`, {
      cause: error,
    });
  }

  if (error && typeof error === "object") {
    const e = error as { message?: unknown; code?: unknown; meta?: unknown; name?: unknown };
    const message = typeof e.message === "string" ? cleanEngineMessage(e.message) : safeStringify(error);
    const code = typeof e.code === "string" ? e.code : undefined;
    return new SchemaEngineError(code ? `${code}: ${message}` : message, { code, meta: e.meta, cause: error });
  }
  return new SchemaEngineError(String(error), { cause: error });
}

// ---------------------------------------------------------------------------------------------
// Internals

type EngineModule = typeof import("@prisma/schema-engine-wasm");

interface PanicRegistry {
  get(): string;
  set_message(message: string): void;
}

let enginePromise: Promise<EngineModule> | undefined;
let instantiations = 0;
let activeEngines = 0;
const engineTimers = new Set<ReturnType<typeof setTimeout>>();

function panicRegistry(): PanicRegistry {
  const g = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  if (!g.PRISMA_WASM_PANIC_REGISTRY) {
    let message = "";
    g.PRISMA_WASM_PANIC_REGISTRY = {
      get: () => message,
      set_message: (m: string) => {
        message = `RuntimeError: ${m}`;
      },
    };
  }
  return g.PRISMA_WASM_PANIC_REGISTRY;
}

function clearEngineTimers(): void {
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= instantiateEngineModule().catch((error: unknown) => {
    enginePromise = undefined;
    throw error;
  });
  return enginePromise;
}

/**
 * The package's own entry imports the `.wasm` file as an ES module, which Node 20 cannot do.
 * Instead: import its JavaScript glue, instantiate the `.wasm` with that glue as imports, and hand
 * the instance back to the glue. The glue's setTimeout import is wrapped so the timers it starts
 * can be cleared when the last engine is freed.
 */
async function instantiateEngineModule(): Promise<EngineModule> {
  panicRegistry();
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  // The glue keeps per-instance state (views of the WebAssembly memory): a new instance, after a
  // panic, needs a fresh copy of it, hence the query string.
  const glueUrl = pathToFileURL(gluePath);
  if (instantiations > 0) glueUrl.search = `?instance=${instantiations}`;
  instantiations += 1;
  const glue = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ glueUrl.href)) as EngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  } & Record<string, unknown>;
  const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));

  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith("__wbg_setTimeout_") && typeof value === "function") {
      imports[name] = (callback: () => void, ms: number) => {
        const timer = setTimeout(() => {
          engineTimers.delete(timer);
          callback();
        }, ms >>> 0);
        engineTimers.add(timer);
        return timer;
      };
    }
  }
  const module = await WebAssembly.compile(bytes);
  const importModule = WebAssembly.Module.imports(module)[0]?.module ?? "./schema_engine_bg.js";
  const instance = await WebAssembly.instantiate(module, {
    [importModule]: imports as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/**
 * Wraps a factory so every adapter it hands out is remembered until disposed; `disposeAll`
 * disposes the rest. Disposing twice is avoided.
 */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll(): Promise<void>;
} {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    let disposed: Promise<void> | undefined;
    const tracked: SqlDriverAdapter = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) => adapter.queryRaw(query),
      executeRaw: (query) => adapter.executeRaw(query),
      executeScript: (script) => adapter.executeScript(script),
      startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
      dispose: () => {
        open.delete(tracked);
        disposed ??= adapter.dispose();
        return disposed;
      },
    };
    if (adapter.getConnectionInfo) tracked.getConnectionInfo = () => adapter.getConnectionInfo!();
    open.add(tracked);
    return tracked;
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  return {
    factory: tracking,
    async disposeAll() {
      const pending = [...open];
      open.clear();
      await Promise.allSettled(pending.map((adapter) => adapter.dispose()));
    },
  };
}

/** Proxies every engine method so its errors go through `translateEngineError`. */
function wrapEngine(engine: SchemaEngine, bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): SchemaEngine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "free" || typeof property === "symbol") return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              throw translateEngineError(error, bound);
            });
          }
          return result;
        } catch (error) {
          throw translateEngineError(error, bound);
        }
      };
    },
  });
}

/** Errors thrown by adapter JavaScript travel through the engine as `{ kind: "GenericJs", id }`. */
function lookupAdapterError(
  error: unknown,
  bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory | undefined,
): Error | undefined {
  if (!bound || !error || typeof error !== "object") return undefined;
  const candidates: unknown[] = [error, (error as { cause?: unknown }).cause, (error as { meta?: unknown }).meta];
  for (const candidate of candidates) {
    if (!candidate || typeof candidate !== "object") continue;
    const c = candidate as { kind?: unknown; id?: unknown };
    if (c.kind === "GenericJs" && typeof c.id === "number") {
      const record = bound.errorRegistry.consumeError(c.id);
      if (record?.error instanceof Error) return record.error;
      if (record) return new SchemaEngineError(String(record.error), { cause: record.error });
    }
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === "string") {
    // The engine reports such errors as "External error id#<n>".
    const match = /External error id#(\d+)/.exec(message);
    if (match) {
      const record = bound.errorRegistry.consumeError(Number(match[1]));
      if (record?.error instanceof Error) return record.error;
    }
  }
  return undefined;
}

/**
 * A one-line description of a driver adapter error (`DriverAdapterError` carries a structured
 * `cause` such as `{ kind: "DatabaseNotReachable", host, port }`); other errors give their message.
 */
export function describeDatabaseError(error: unknown): string {
  const cause = error && typeof error === "object" ? (error as { cause?: unknown }).cause : undefined;
  if (error instanceof Error && error.name === "DriverAdapterError" && cause && typeof cause === "object") {
    const c = cause as Record<string, unknown>;
    const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
    // Errors reported by the database itself keep its message and SQLSTATE.
    if (typeof c.originalMessage === "string" && c.originalMessage) {
      return c.originalCode ? `${c.originalMessage} (SQLSTATE ${str(c.originalCode)})` : c.originalMessage;
    }
    switch (c.kind) {
      case "DatabaseNotReachable":
        return `cannot reach the database server${c.host ? ` at ${str(c.host)}${c.port ? `:${str(c.port)}` : ""}` : ""}`;
      case "DatabaseDoesNotExist":
        return `database ${c.db ? `"${str(c.db)}" ` : ""}does not exist`;
      case "DatabaseAccessDenied":
        return `access denied${c.db ? ` to database "${str(c.db)}"` : ""}`;
      case "AuthenticationFailed":
        return `authentication failed${c.user ? ` for user "${str(c.user)}"` : ""}`;
      case "TlsConnectionError":
        return `TLS connection error: ${str(c.reason)}`;
      case "postgres":
        return `${str(c.message)} (SQLSTATE ${str(c.code)})`;
      default:
        return [str(c.kind), str(c.message ?? c.cause)].filter(Boolean).join(": ");
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Engine messages end in a span trace ("   0: schema_engine_wasm::…") and connector errors start
 * with a generic line; keep the part a person needs.
 */
export function cleanEngineMessage(message: string): string {
  const withoutTrace = message.split(/\n\s+0: /)[0] ?? message;
  return withoutTrace.replace(/^external connector error\n/, "").trim();
}

function isWasmPanic(error: unknown): boolean {
  return error instanceof WebAssembly.RuntimeError || (error instanceof Error && error.name === "RuntimeError");
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
