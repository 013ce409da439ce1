import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { Card } from "@/components/ui/card";
import { VaultCreateForm } from "@/components/vaults/vault-create-form";
import { createVaultAction } from "../actions";

export const metadata: Metadata = { title: "New vault" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function NewVaultPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  return (
    <>
      <BackLink href={teamPath(team.slug, "vaults")}>Vaults</BackLink>
      <Card title="New vault" titleId="new-vault-heading" description="A vault holds credentials; sessions are given the vaults they may use.">
        <VaultCreateForm action={createVaultAction.bind(null, team.slug)} cancelHref={teamPath(team.slug, "vaults")} />
      </Card>
    </>
  );
}
