import "server-only";
import path from "node:path";

/** Where the database lives: the embedded PGlite in a directory (or in memory), or a PostgreSQL server. */
export type TDatabaseTarget =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; url: string; poolSize: number };

export function databaseTargetFromEnv(env: { DATABASE_URL?: string; DATA_DIR: string; DATABASE_POOL_SIZE: number }): TDatabaseTarget {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
  return { kind: "pglite", dataDir: path.resolve(env.DATA_DIR, "pglite") };
}

/** A description safe to log or show: never the password. */
export function describeDatabaseTarget(target: TDatabaseTarget): string {
  if (target.kind === "pglite") {
    return target.dataDir.startsWith("memory://") ? "embedded PGlite (in memory)" : `embedded PGlite in ${target.dataDir}`;
  }
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}
