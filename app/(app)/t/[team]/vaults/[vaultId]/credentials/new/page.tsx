import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { CredentialForm } from "@/components/vaults/credential-form";
import { createCredentialAction } from "../actions";

export const metadata: Metadata = { title: "Add a credential" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string; vaultId: string }> };

export default async function NewCredentialPage({ params }: TProps) {
  const { team: slug, vaultId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const vault = await useCases().vaults.get({ teamId: team.id, vaultId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const vaultHref = teamPath(team.slug, "vaults", vault.id);
  return (
    <>
      <BackLink href={vaultHref}>{vault.display_name}</BackLink>
      <Card title="Add a credential" titleId="new-credential-heading" description={`To the vault “${vault.display_name}”. Its secret is stored encrypted and is never shown again.`}>
        {vault.archived_at ? (
          <Alert tone="info">This vault is archived: it takes no new credentials.</Alert>
        ) : (
          <CredentialForm action={createCredentialAction.bind(null, team.slug, vault.id)} cancelHref={vaultHref} />
        )}
      </Card>
    </>
  );
}
