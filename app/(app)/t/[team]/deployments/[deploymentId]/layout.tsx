import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; deploymentId: string }> };

/** Resolves the deployment before anything streams: another team's id (or an unknown one) answers HTTP 404. */
export default async function DeploymentLayout({ children, params }: TProps) {
  const { team: slug, deploymentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().deployments.get({ teamId: team.id, deploymentId }));
  return children;
}
