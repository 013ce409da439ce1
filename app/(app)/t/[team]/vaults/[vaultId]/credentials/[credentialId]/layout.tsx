import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; vaultId: string; credentialId: string }> };

/** Resolves the credential before anything streams, so another vault's or team's id answers HTTP 404. */
export default async function CredentialLayout({ children, params }: TProps) {
  const { team: slug, vaultId, credentialId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().credentials.find({ teamId: team.id, vaultId, credentialId }));
  return children;
}
