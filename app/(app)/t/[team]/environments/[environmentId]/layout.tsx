import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; environmentId: string }> };

/**
 * Resolves the environment before anything streams: a layout renders outside its own segment's
 * loading boundary, so another team's environment id (or an unknown one) answers HTTP 404.
 */
export default async function EnvironmentLayout({ children, params }: TProps) {
  const { team: slug, environmentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().environments.find({ teamId: team.id, environmentId }));
  return children;
}
