import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";

/**
 * SQL on the driver itself, below Prisma's client, for the few statements where Prisma's own cost
 * per statement dominates: the session log's appends and slices. Measured on PostgreSQL (see the
 * README's benchmark table): an append as a Prisma interactive transaction took ~4.5 ms at p50 and
 * ~13 ms at p99, the same statements on the `pg` pool Prisma itself uses ~1 ms. Everything else
 * goes through Prisma.
 *
 * Statements are written as `Prisma.sql` templates, like the rest of the project's raw SQL, and
 * run with their `$n` placeholders. Values must be strings, numbers, booleans, null or string
 * arrays: timestamps go in as ISO strings cast in SQL (a JS `Date` would be sent in the machine's
 * time zone) and JSON as text cast to `jsonb`.
 */
export interface DirectSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
}

type TRunner = (text: string, values: unknown[]) => Promise<unknown[]>;

function queryRawOn(run: TRunner): DirectSql["$queryRaw"] {
  return async <T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
    return (await run(sql.text, sql.values)) as T;
  };
}

/** On PostgreSQL: the pool Prisma's adapter uses. */
export function pgDirectSql(pool: pg.Pool): DirectSql {
  return { $queryRaw: queryRawOn(async (text, values) => (await pool.query(text, values)).rows) };
}

/** On the embedded PGlite: its statements queue behind Prisma's on the one connection. */
export function pgliteDirectSql(pglite: PGlite): DirectSql {
  return { $queryRaw: queryRawOn(async (text, values) => (await pglite.query(text, values)).rows) };
}

/** Through Prisma's client: for callers that hold only a `PrismaClient` (slower, same statements). */
export function prismaDirectSql(prisma: PrismaClient): DirectSql {
  return { $queryRaw: queryRawOn((text, values) => prisma.$queryRawUnsafe(text, ...values)) };
}
