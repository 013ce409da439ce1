import type { TAuthType, TPublicAuth } from "../credential-auth";

/** The public (secret-free) part of a credential's auth, as the browser components receive it. */
export type { TPublicAuth };

/** Short descriptions of a credential's public part, for lists and its page. Never a secret. */
export const TYPE_LABELS: Record<TAuthType, string> = {
  static_bearer: "Bearer token",
  mcp_oauth: "MCP OAuth",
  environment_variable: "Environment variable",
};

/** What the credential is for: the MCP server it authenticates to, or the variable it fills. */
export function credentialTarget(auth: TPublicAuth): string {
  return auth.type === "environment_variable" ? auth.secret_name : auth.mcp_server_url;
}

/** Where the secret may go: the allowed hosts of a variable, or the MCP server's host. */
export function credentialHosts(auth: TPublicAuth): string {
  if (auth.type !== "environment_variable") return hostOf(auth.mcp_server_url);
  return auth.networking.type === "unrestricted" ? "Any host" : auth.networking.allowed_hosts.join(", ");
}

/** Where a variable's placeholder is replaced by the secret in outgoing requests. */
export function injectionSummary(location: { header: boolean; body: boolean }): string {
  if (location.header && location.body) return "Headers and body";
  return location.header ? "Headers" : "Body";
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
