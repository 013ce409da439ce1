/**
 * `npm run cli -- <command>`: administration from the command line, against the configured
 * database (DATABASE_URL, or the embedded one in DATA_DIR — which must not be open in a running
 * server at the same time).
 *
 *   teams create --slug <slug> [--name <name>]
 *   keys create --team <slug> [--name <name>] [--environment <env_…>]
 *                                                 prints the new key once; with --environment, an
 *                                                 environment key for that self-hosted environment's
 *                                                 workers only
 *   keys revoke --team <slug> --id <apikey_…>
 *   keys list --team <slug>
 */
import { parseArgs } from "node:util";
import { databaseTargetFromEnv } from "@/lib/db/database-target";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { parseEnv } from "@/lib/env";
import { findHostedEnvironment } from "@/lib/environments/work/find-work";
import { createApiKey } from "@/lib/teams/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/teams/api-keys/revoke-api-key";
import { createTeam } from "@/lib/teams/create-team";

const USAGE = `usage: npm run cli -- teams create --slug <slug> [--name <name>]
       npm run cli -- keys create --team <slug> [--name <name>] [--environment <env_id>]
       npm run cli -- keys revoke --team <slug> --id <apikey_id>
       npm run cli -- keys list --team <slug>`;

async function teamBySlug(db: Database, slug: string | undefined) {
  if (!slug) throw new Error(`--team <slug> is required\n${USAGE}`);
  const team = await db.prisma.team.findUnique({ where: { slug } });
  if (!team) throw new Error(`no team with slug "${slug}" (create it with: npm run cli -- teams create --slug ${slug})`);
  return team;
}

async function run(args: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { team: { type: "string" }, slug: { type: "string" }, name: { type: "string" }, id: { type: "string" }, environment: { type: "string" } },
  });
  const [noun, verb] = positionals;
  const command = `${noun ?? ""} ${verb ?? ""}`;
  if (!["teams create", "keys create", "keys revoke", "keys list"].includes(command)) throw new Error(USAGE);
  const env = parseEnv(process.env);
  const db = await openDatabase(databaseTargetFromEnv(env), { migrate: env.MIGRATE_ON_BOOT, migrateLockTimeoutMs: env.MIGRATE_LOCK_TIMEOUT_MS });
  try {
    if (command === "teams create") {
      if (!values.slug) throw new Error(`--slug is required\n${USAGE}`);
      const team = await createTeam(db.prisma, { slug: values.slug, name: values.name ?? values.slug });
      return `created team ${team.slug} (${team.id})`;
    }
    const team = await teamBySlug(db, values.team);
    if (command === "keys create") {
      const environment = values.environment ? await findHostedEnvironment(db.prisma, team.id, values.environment) : null;
      const key = await createApiKey(db.prisma, { teamId: team.id, name: values.name ?? "cli", environmentId: environment?.id });
      const what = environment ? `environment key ${key.id} for ${environment.id} (its work queue only)` : `API key ${key.id}`;
      return `created ${what} for team ${team.slug}\n${key.key}\n(store it now: it is not shown again)`;
    }
    if (command === "keys revoke") {
      if (!values.id) throw new Error(`--id is required\n${USAGE}`);
      await revokeApiKey(db.prisma, { teamId: team.id, id: values.id });
      return `revoked ${values.id}`;
    }
    const keys = await db.prisma.apiKey.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" } });
    return keys.map((k) => `${k.id}  ${k.hint}  ${k.name}  ${k.revokedAt ? "revoked" : "active"}${k.environmentId ? `  environment ${k.environmentId}` : ""}`).join("\n") || "no keys";
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).then(
  (output) => {
    console.log(output);
    process.exit(0);
  },
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
