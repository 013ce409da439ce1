import type { ReactNode } from "react";
import { credentialHosts, injectionSummary, TYPE_LABELS, type TPublicAuth } from "@/lib/vault/ui/credential-summary";
import { DateTimeText } from "@/components/agents/date-time-text";

/** What is known of a credential, as a description list. The secret is write-only: its row says so. */
export function CredentialDetails({ auth, createdAt, updatedAt }: { auth: TPublicAuth; createdAt: Date; updatedAt: Date }) {
  const rows: [string, ReactNode][] = [["Type", TYPE_LABELS[auth.type]]];
  if (auth.type === "environment_variable") {
    rows.push(["Variable", <code key="v">{auth.secret_name}</code>]);
    rows.push(["Allowed hosts", credentialHosts(auth)]);
    rows.push(["Placeholder replaced in", injectionSummary(auth.injection_location)]);
  } else {
    rows.push(["MCP server", <code key="s">{auth.mcp_server_url}</code>]);
  }
  if (auth.type === "mcp_oauth") {
    rows.push(["Access token expires", auth.expires_at ? <DateTimeText key="e" date={new Date(auth.expires_at)} /> : "Not set"]);
    if (auth.refresh) {
      rows.push(["Client ID", <code key="c">{auth.refresh.client_id}</code>]);
      rows.push(["Token endpoint", <code key="t">{auth.refresh.token_endpoint}</code>]);
      rows.push(["Client authentication", auth.refresh.token_endpoint_auth.type]);
      if (auth.refresh.scope) rows.push(["Scope", auth.refresh.scope]);
    } else {
      rows.push(["Refresh", "Not configured"]);
    }
  }
  rows.push(["Secret", "Stored encrypted; never shown"]);
  rows.push(["Created", <DateTimeText key="cr" date={createdAt} />]);
  rows.push(["Updated", <DateTimeText key="up" date={updatedAt} />]);
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-zinc-600 dark:text-zinc-400">{term}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
