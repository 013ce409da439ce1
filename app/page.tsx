import { getCurrentUser } from "@/lib/auth/current-user";
import { useCases } from "@/lib/server/root";
import { getRuntimeInfo, type RuntimeInfo } from "@/lib/server/runtime-info";

export const dynamic = "force-dynamic";

const PARTS = [
  {
    name: "Session log",
    text: "Every message, model turn, tool call and result is appended to a durable, ordered event log. Everything you see is derived from it.",
  },
  {
    name: "Harness",
    text: "A stateless loop rebuilds the model's context from the log, calls the model and records each step. If it dies, another picks up at the last event.",
  },
  {
    name: "Sandbox",
    text: "Tools run in disposable, isolated sandboxes, created on the first tool call. A sandbox can fail; the session carries on.",
  },
] as const;

interface StatusRow {
  term: string;
  value: string;
  badge: string;
  hint: string;
  tone: "neutral" | "live";
}

/**
 * The database's file path or server is shown to signed-in members only: a visitor learns which
 * kind of database runs here, not where it lives.
 */
function statusRows(info: RuntimeInfo, member: boolean): StatusRow[] {
  return [
    info.database === "pglite"
      ? {
          term: "Database",
          value: member ? info.databaseLabel : "Embedded PGlite",
          badge: "embedded",
          hint: "Runs inside this process; no database server needed. Set DATABASE_URL to use PostgreSQL.",
          tone: "neutral",
        }
      : {
          term: "Database",
          value: member ? info.databaseLabel : "PostgreSQL",
          badge: "PostgreSQL",
          hint: "Configured through DATABASE_URL.",
          tone: "live",
        },
    info.model === "demo"
      ? {
          term: "Model",
          value: info.modelLabel,
          badge: "demo",
          hint: "Scripted replies, no API key needed. Set ANTHROPIC_API_KEY to use Claude.",
          tone: "neutral",
        }
      : {
          term: "Model",
          value: info.modelLabel,
          badge: "Anthropic",
          hint: "Uses the key in ANTHROPIC_API_KEY.",
          tone: "live",
        },
  ];
}

const BADGE_TONES: Record<StatusRow["tone"], string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
  live: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800",
};

export default async function HomePage() {
  const user = await getCurrentUser(useCases());
  const rows = statusRows(getRuntimeInfo(), user !== null);

  return (
    <main id="main" className="mx-auto flex max-w-5xl flex-col gap-12 px-6 py-16 sm:py-24">
      <header className="flex flex-col gap-6">
        <p className="flex items-center gap-2 text-sm font-medium text-brand-700 dark:text-brand-300">
          <span aria-hidden="true" className="inline-block size-2.5 rounded-full bg-brand-500" />
          Self-hosted agent platform
        </p>
        <h1 className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl">Open Managed Agents</h1>
        <p className="max-w-3xl text-lg leading-relaxed text-pretty text-zinc-600 dark:text-zinc-400">
          Open Managed Agents runs long-running AI agents on your own machines. Each session is a durable,
          append-only event log; a stateless harness rebuilds the model&apos;s context from that log, calls the
          model and records every step; and the agent&apos;s tools run in disposable sandboxes. Any part can crash,
          restart or be replaced, and the session continues from where the log left off.
        </p>
        <nav aria-label="Account" className="flex flex-wrap gap-3">
          {user ? (
            <a
              href="/teams"
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
            >
              Open your teams
            </a>
          ) : (
            <>
              <a
                href="/sign-in"
                className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
              >
                Sign in
              </a>
              <a
                href="/sign-up"
                className="rounded-md px-4 py-2 text-sm font-medium text-zinc-900 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800"
              >
                Create account
              </a>
            </>
          )}
        </nav>
      </header>

      <section aria-labelledby="parts-heading" className="flex flex-col gap-4">
        <h2 id="parts-heading" className="sr-only">
          How it is built
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3">
          {PARTS.map((part) => (
            <li
              key={part.name}
              className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h3 className="font-semibold">{part.name}</h3>
              <p className="mt-2 text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">{part.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section
        aria-labelledby="status-heading"
        className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2 id="status-heading" className="border-b border-zinc-200 px-5 py-4 font-semibold dark:border-zinc-800">
          This installation
        </h2>
        <dl className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map((row) => (
            <div key={row.term} className="grid gap-1 px-5 py-4 sm:grid-cols-[8rem_1fr] sm:gap-4">
              <dt className="text-sm font-medium text-zinc-500 dark:text-zinc-400">{row.term}</dt>
              <dd className="flex flex-col gap-1">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium break-all">{row.value}</span>
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE_TONES[row.tone]}`}
                  >
                    {row.badge}
                  </span>
                </span>
                <span className="text-sm text-zinc-600 dark:text-zinc-400">{row.hint}</span>
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}
