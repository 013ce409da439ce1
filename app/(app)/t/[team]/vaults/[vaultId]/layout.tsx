import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; vaultId: string }> };

/**
 * Resolves the vault before anything streams: a layout renders outside its own segment's loading
 * boundary, so another team's vault id (or an unknown one) answers HTTP 404.
 */
export default async function VaultLayout({ children, params }: TProps) {
  const { team: slug, vaultId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().vaults.find({ teamId: team.id, vaultId }));
  return children;
}
