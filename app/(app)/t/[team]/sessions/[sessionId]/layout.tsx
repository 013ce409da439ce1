import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; sessionId: string }> };

/**
 * Resolves the session (one row) before anything streams: a layout renders outside its own
 * segment's loading boundary, so another team's session id, or an unknown one, answers HTTP 404;
 * the skeleton (loading.tsx) shows only while the page reads the log of a session the team has.
 */
export default async function SessionLayout({ children, params }: TProps) {
  const { team: slug, sessionId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().sessions.find({ teamId: team.id, sessionId }));
  return children;
}
