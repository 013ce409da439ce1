import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; skillId: string }> };

/** Resolves the skill before anything streams: another team's skill id (or an unknown one) answers HTTP 404. */
export default async function SkillLayout({ children, params }: TProps) {
  const { team: slug, skillId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().skills.get({ teamId: team.id, skillId }));
  return children;
}
