import type { Metadata } from "next";
import Link from "next/link";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ArchivableEmptyState, ListFrame } from "@/components/ui/list-frame";
import { VaultIcon } from "@/components/vaults/vault-icon";
import { VaultList } from "@/components/vaults/vault-list";

export const metadata: Metadata = { title: "Vaults" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VaultsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { vaults } = useCases();
  const page = await readListPage((query) => vaults.list({ teamId: team.id, query }), {
    base: teamPath(team.slug, "vaults"),
    searchParams: await searchParams,
    pageSize: PAGE_SIZE,
    probeArchived: true,
  });
  const counts = await vaults.countCredentials({ teamId: team.id, vaultIds: page.data.map((vault) => vault.id) });

  const rows = page.data.map((vault) => ({
    id: vault.id,
    href: teamPath(team.slug, "vaults", vault.id),
    name: vault.display_name,
    credentials: counts.get(vault.id) ?? 0,
    createdAt: new Date(vault.created_at),
    archived: vault.archived_at !== null,
  }));
  const newHref = teamPath(team.slug, "vaults", "new");

  return (
    <Card
      title="Vaults"
      titleId="vaults-heading"
      description="Credentials your agents' sessions use: stored encrypted, never shown again, never given to the sandbox or the model."
      actions={
        <Link href={newHref} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New vault
        </Link>
      }
    >
      <ListFrame page={page} items="vaults">
        {rows.length === 0 ? (
          <ArchivableEmptyState
            page={page}
            hasArchived={page.hasArchived}
            item="vault"
            items="vaults"
            icon={<VaultIcon />}
            hint="Create a vault to hold the tokens and keys your agents need."
            createHref={newHref}
            createLabel="Create a vault"
          />
        ) : (
          <VaultList vaults={rows} caption={page.showArchived ? "Vaults, including archived ones" : "Active vaults"} />
        )}
      </ListFrame>
    </Card>
  );
}
