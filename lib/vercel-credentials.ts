/**
 * Credentials for the Vercel Sandbox API: a Vercel OIDC token (which names its own team and
 * project), or an access token with the team and project it acts on. They stay on the server:
 * the SDK sends them to the Vercel API, never into a sandbox.
 */
export type VercelCredentials = { oidcToken: string } | { token: string; teamId: string; projectId: string };

/** What `@vercel/sandbox` takes: all three fields, always, so it never falls back to a login. */
export interface VercelSdkCredentials {
  token: string;
  teamId: string;
  projectId: string;
}

export class VercelCredentialsError extends Error {
  override readonly name = "VercelCredentialsError";
}

const TRIPLE = ["VERCEL_TOKEN", "VERCEL_TEAM_ID", "VERCEL_PROJECT_ID"] as const;

/**
 * Reads `VERCEL_OIDC_TOKEN`, or all of `VERCEL_TOKEN`, `VERCEL_TEAM_ID` and `VERCEL_PROJECT_ID`
 * (empty strings count as unset). The three go together: setting some but not all is an error even
 * when an OIDC token is present, since it is almost always a typo. The error is one line naming the
 * variables; it never contains their values.
 */
export function parseVercelCredentials(env: Record<string, string | undefined>): VercelCredentials {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const present = TRIPLE.filter((name) => value(name) !== undefined);
  if (present.length === TRIPLE.length) {
    return { token: value("VERCEL_TOKEN")!, teamId: value("VERCEL_TEAM_ID")!, projectId: value("VERCEL_PROJECT_ID")! };
  }
  if (present.length > 0) {
    const missing = TRIPLE.filter((name) => !present.includes(name));
    throw new VercelCredentialsError(
      `Vercel sandbox credentials are incomplete: ${joinNames(missing)} ${missing.length === 1 ? "is" : "are"} missing (VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID must be set together)`,
    );
  }
  const oidcToken = value("VERCEL_OIDC_TOKEN");
  if (oidcToken === undefined) {
    throw new VercelCredentialsError(
      "Vercel sandbox credentials are missing: set VERCEL_OIDC_TOKEN, or all of VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_PROJECT_ID",
    );
  }
  oidcClaims(oidcToken); // fail at boot, not on the first tool call
  return { oidcToken };
}

/** The SDK's form of either kind of credentials; an OIDC token's team and project come from its claims. */
export function toSdkCredentials(credentials: VercelCredentials): VercelSdkCredentials {
  if ("oidcToken" in credentials) {
    const claims = oidcClaims(credentials.oidcToken);
    return { token: credentials.oidcToken, teamId: claims.teamId, projectId: claims.projectId };
  }
  for (const field of ["token", "teamId", "projectId"] as const) {
    if (!credentials[field]) throw new VercelCredentialsError(`Vercel sandbox credentials are incomplete: ${field} is empty`);
  }
  return { token: credentials.token, teamId: credentials.teamId, projectId: credentials.projectId };
}

/** Every secret value in the credentials, for checks that nothing leaks into a sandbox. */
export function credentialSecrets(credentials: VercelCredentials): string[] {
  return "oidcToken" in credentials ? [credentials.oidcToken] : [credentials.token];
}

/** Reads (does not verify: the Vercel API does) the `owner_id` and `project_id` claims of an OIDC token. */
function oidcClaims(token: string): { teamId: string; projectId: string } {
  const invalid = () =>
    new VercelCredentialsError("VERCEL_OIDC_TOKEN is not a Vercel OIDC token (expected a JWT with owner_id and project_id claims)");
  const parts = token.split(".");
  if (parts.length !== 3) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const claims = payload as { owner_id?: unknown; project_id?: unknown } | null;
  if (typeof claims?.owner_id !== "string" || !claims.owner_id || typeof claims.project_id !== "string" || !claims.project_id) {
    throw invalid();
  }
  return { teamId: claims.owner_id, projectId: claims.project_id };
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
