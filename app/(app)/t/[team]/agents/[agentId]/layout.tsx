import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; agentId: string }> };

/**
 * Resolves the agent before anything streams: a layout renders outside its own segment's loading
 * boundary, so another team's agent id (or an unknown one) answers HTTP 404 — the loading skeleton
 * is shown only for an agent the team has, while its page loads.
 */
export default async function AgentLayout({ children, params }: TProps) {
  const { team: slug, agentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().agents.find({ teamId: team.id, agentId }));
  return children;
}
