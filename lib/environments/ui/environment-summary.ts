import type { TEnvironmentConfig } from "@/lib/environments/environment-config";
import { PACKAGE_MANAGERS } from "@/lib/environments/schemas";

/** Short descriptions of an environment's config for lists: "Cloud", "Limited: 2 hosts, package managers". */
export function sandboxLabel(config: TEnvironmentConfig): string {
  if (config.type === "self_hosted") return "Self-hosted";
  return config.sandbox_provider === "vercel" ? "Cloud · Vercel" : "Cloud";
}

export function networkSummary(config: TEnvironmentConfig): string {
  if (config.type === "self_hosted") return "Managed by your workers";
  const networking = config.networking;
  if (networking.type === "unrestricted") return "Unrestricted";
  const parts = [`${networking.allowed_hosts.length} ${networking.allowed_hosts.length === 1 ? "host" : "hosts"}`];
  if (networking.allow_package_managers) parts.push("package managers");
  if (networking.allow_mcp_servers) parts.push("MCP servers");
  return `Limited: ${parts.join(", ")}`;
}

export function packagesSummary(config: TEnvironmentConfig): string {
  if (config.type === "self_hosted") return "—";
  const used = PACKAGE_MANAGERS.filter((manager) => config.packages[manager].length > 0);
  if (used.length === 0) return "None";
  return used.map((manager) => `${manager} ${config.packages[manager].length}`).join(", ");
}
