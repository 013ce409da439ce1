import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { log, type Logger } from "@/lib/log";

/**
 * The secret that signs and encrypts session cookies:
 * - `NEXTAUTH_SECRET` when set (at least 32 characters, e.g. `openssl rand -base64 32`);
 * - without it, on the embedded database only: a secret generated once into
 *   `<DATA_DIR>/auth.secret` (mode 0600), with a warning. With PostgreSQL `NEXTAUTH_SECRET` is
 *   required: every process serving the app must sign sessions with the same secret.
 * Errors name the variable, never its value.
 */
export const AUTH_SECRET_FILE_NAME = "auth.secret";
const MIN_SECRET_LENGTH = 32;
const HOW = `must be at least ${MIN_SECRET_LENGTH} characters, e.g. from \`openssl rand -base64 32\``;

export class AuthSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthSecretError";
  }
}

export function readAuthSecret(
  env: Record<string, string | undefined>,
  options: { dataDir: string; embedded: boolean; log: Logger },
): string {
  const configured = env.NEXTAUTH_SECRET?.trim();
  if (configured) {
    if (configured.length < MIN_SECRET_LENGTH) throw new AuthSecretError(`Invalid environment: NEXTAUTH_SECRET ${HOW} (got ${configured.length} characters)`);
    return configured;
  }
  if (!options.embedded) {
    throw new AuthSecretError(`Invalid environment: NEXTAUTH_SECRET is required with DATABASE_URL (every process serving the app needs the same secret); it ${HOW}`);
  }
  return loadOrCreateSecretFile(options.dataDir, options.log);
}

/**
 * The embedded default's secret: read from `<dataDir>/auth.secret`, or generated there once. The
 * file is written aside and linked into place, so two processes starting at once agree on one secret.
 */
export function loadOrCreateSecretFile(dataDir: string, logger: Logger): string {
  const file = path.resolve(dataDir, AUTH_SECRET_FILE_NAME);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let generated: string | null = null;
  if (!fs.existsSync(file)) {
    const secret = randomBytes(32).toString("base64url");
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, `${secret}\n`, { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
      generated = secret;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const secret = generated ?? fs.readFileSync(file, "utf8").trim();
  if (secret.length < MIN_SECRET_LENGTH) throw new AuthSecretError(`Invalid session secret file ${file}: it ${HOW}`);
  logger.warn(
    generated
      ? "auth: generated a session secret for the embedded database; set NEXTAUTH_SECRET in production"
      : "auth: using the session secret file of the embedded database; set NEXTAUTH_SECRET in production",
    { path: file },
  );
  return secret;
}

const KEY = Symbol.for("open-managed-agents.auth-secret");
type TGlobal = typeof globalThis & { [KEY]?: string };

/**
 * The process's session secret, read on first use and kept on `globalThis` (the custom server and
 * Next's bundled code each get their own copy of this module, but must agree on the secret).
 */
export function getAuthSecret(): string {
  const g = globalThis as TGlobal;
  if (!g[KEY]) {
    const env = getEnv();
    g[KEY] = readAuthSecret(process.env, { dataDir: env.DATA_DIR, embedded: !env.DATABASE_URL, log });
  }
  return g[KEY];
}
