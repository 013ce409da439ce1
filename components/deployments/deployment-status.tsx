import { Badge } from "@/components/agents/fields";

export type TDeploymentStatus = "active" | "paused" | "archived";

/** Active, paused (no scheduled runs until unpaused) or archived (no runs at all). */
export function DeploymentStatus({ status }: { status: TDeploymentStatus }) {
  return <Badge tone={status === "active" ? "brand" : status === "paused" ? "warning" : "neutral"}>{status === "active" ? "Active" : status === "paused" ? "Paused" : "Archived"}</Badge>;
}
