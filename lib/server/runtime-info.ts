import "server-only";
import { describeDatabaseTarget, databaseTargetFromEnv } from "@/lib/db/database-target";
import { getEnv, type TEnv } from "@/lib/env";

// Which database and which model this process uses, described for people. Never returns credentials.

export interface RuntimeInfo {
  database: "pglite" | "postgres";
  databaseLabel: string;
  model: "demo" | "anthropic";
  modelLabel: string;
  /** The model id a new agent starts with (DEFAULT_MODEL). */
  defaultModel: string;
}

export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** An HTTP base URL without user info, query or fragment. */
function describeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

export function getRuntimeInfo(env: TEnv = getEnv()): RuntimeInfo {
  const target = databaseTargetFromEnv(env);
  const model = env.ANTHROPIC_API_KEY
    ? ({ model: "anthropic", modelLabel: `Anthropic API at ${describeBaseUrl(env.ANTHROPIC_BASE_URL ?? DEFAULT_ANTHROPIC_BASE_URL)}` } as const)
    : ({ model: "demo", modelLabel: "Built-in demo model (no ANTHROPIC_API_KEY set)" } as const);
  return { database: target.kind, databaseLabel: describeDatabaseTarget(target), ...model, defaultModel: env.DEFAULT_MODEL };
}
