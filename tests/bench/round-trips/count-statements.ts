/**
 * Counts the statements this process sends to the database, whatever sends them (Prisma's client
 * through its driver adapter, the log's `DirectSql`, the work queue): a statement is one round trip
 * to PostgreSQL (node-postgres sends one query at a time on a connection, no pipelining) and one
 * exclusive call into PGlite. Load-independent evidence of what an operation costs, beside
 * wall-clock figures that a loaded 2-core machine makes noisy.
 *
 * Installed process-wide by patching the drivers' prototypes (`pg.Client#query`, and PGlite's
 * `query`, `exec` and `transaction`, whose BEGIN and COMMIT count as statements): a benchmark's
 * own instrument, never imported by the app.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** A statement sent, when, and the tag of the code that sent it (see `withTag`). */
export type TStatement = { at: number; text: string; tag: string | undefined };

const log: TStatement[] = [];
const tags = new AsyncLocalStorage<string>();
let installed = false;

function note(text: unknown): void {
  log.push({ at: performance.now(), text: typeof text === "string" ? text : String((text as { text?: string })?.text ?? text), tag: tags.getStore() });
}

/** Runs `fn` with its statements tagged `tag`: to tell apart statements that interleave in time. */
export const withTag = <T>(tag: string, fn: () => Promise<T>): Promise<T> => tags.run(tag, fn);

export function installStatementCounter(): void {
  if (installed) return;
  installed = true;
  const pgQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    note(config);
    return (pgQuery as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof pgQuery;

  const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const query = proto.query!;
  const exec = proto.exec!;
  const transaction = proto.transaction!;
  proto.query = function (this: unknown, text: unknown, ...rest: unknown[]) {
    note(text);
    return query.call(this, text, ...rest);
  };
  proto.exec = function (this: unknown, text: unknown, ...rest: unknown[]) {
    note(text);
    return exec.call(this, text, ...rest);
  };
  proto.transaction = function (this: unknown, fn: unknown) {
    note("BEGIN");
    const wrapped = async (tx: Record<string, (...args: unknown[]) => Promise<unknown>>) => {
      const counted = {
        ...tx,
        query: (text: unknown, ...rest: unknown[]) => (note(text), tx.query!(text, ...rest)),
        exec: (text: unknown, ...rest: unknown[]) => (note(text), tx.exec!(text, ...rest)),
        sql: tx.sql,
        rollback: tx.rollback,
        listen: tx.listen,
        get closed() {
          return tx.closed as unknown as boolean;
        },
      };
      try {
        return await (fn as (tx: unknown) => Promise<unknown>)(counted);
      } finally {
        note("COMMIT or ROLLBACK");
      }
    };
    return transaction.call(this, wrapped);
  };
}

/** A position in the statement log: `since(mark)` is what was sent after it. */
export const mark = (): number => log.length;
export const since = (from: number, to = log.length): TStatement[] => log.slice(from, to);

/** A short name for a statement: the tables it writes and reads, and its row locks, e.g. `write Session, SessionEvent; read Session (for update)`. */
export function describeStatement(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (/^COMMIT or ROLLBACK/.test(flat)) return "COMMIT";
  if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(flat)) return flat.split(" ")[0]!.toUpperCase();
  const table = String.raw`(?:"?public"?\.)?"(\w+)"`;
  const written = [...flat.matchAll(new RegExp(String.raw`\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+${table}`, "gi"))].map((m) => m[1]!);
  const read = [...flat.matchAll(new RegExp(String.raw`\b(?<!DELETE )(?:FROM|JOIN)\s+${table}`, "gi"))].map((m) => m[1]!);
  const locks = [...new Set([...flat.matchAll(/FOR (UPDATE SKIP LOCKED|UPDATE|NO KEY UPDATE|SHARE|KEY SHARE)/gi)].map((m) => m[1]!.toLowerCase()))];
  const parts = [written.length ? `write ${[...new Set(written)].join(", ")}` : "", read.length ? `read ${[...new Set(read)].join(", ")}` : ""].filter(Boolean);
  return (parts.join("; ") || flat.slice(0, 60)) + (locks.length ? ` (${locks.join(", ")})` : "");
}
