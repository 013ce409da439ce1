import "server-only";
import { createHash } from "node:crypto";
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

/** A JSON column's value as a statement returned it: parsed by the driver, or as text (then parsed here). */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** On PostgreSQL: the pool Prisma's adapter uses, each statement prepared once per connection (`PreparedNames`). */
export function pgDirectSql(pool: pg.Pool): DirectSql {
  const names = new PreparedNames();
  return { $queryRaw: queryRawOn(async (text, values) => (await pool.query({ name: names.of(text), text, values })).rows) };
}

/**
 * Names for the statements on the driver, so that `pg` prepares each once per connection and then
 * only binds and executes it. Decision: the log's statements are long (the append is one statement
 * of up to ten CTEs), and parsing and planning them at every call was most of the database's own
 * time for an append (about 0.4 ms parse and 0.6 ms bind of 1.4 ms, in PostgreSQL's log here).
 * Prepared, a fenced append took 0.78–0.85 ms at p50 instead of 1.34–1.39 ms (one client,
 * PostgreSQL, alternating runs). A statement's text depends only on which options a call uses,
 * never on its values, so there are few of them; a name is the text's hash. Past `MAX_PREPARED`
 * texts (a caller that built text from values would get there) the rest run unprepared, so a
 * connection's cache cannot grow without bound. PGlite has no such cache: its statements run as before.
 */
export class PreparedNames {
  static readonly MAX_PREPARED = 500;
  readonly #names = new Map<string, string>();

  of(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined || this.#names.size >= PreparedNames.MAX_PREPARED) return known;
    const name = `oma_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    this.#names.set(text, name);
    return name;
  }
}

/** On the embedded PGlite: its statements queue behind Prisma's on the one connection. */
export function pgliteDirectSql(pglite: PGlite): DirectSql {
  return { $queryRaw: queryRawOn(async (text, values) => (await pglite.query(text, values)).rows) };
}

/** Through Prisma's client: for callers that hold only a `PrismaClient` (slower, same statements). */
export function prismaDirectSql(prisma: PrismaClient): DirectSql {
  return { $queryRaw: queryRawOn((text, values) => prisma.$queryRawUnsafe(text, ...values)) };
}
