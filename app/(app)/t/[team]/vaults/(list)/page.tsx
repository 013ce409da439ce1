import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/server/runtime";
import { listVaults } from "@/lib/vault/list-vaults";
import { countVaultCredentials } from "@/lib/vault/ui/count-vault-credentials";
import { ArchivedFilter } from "@/components/agents/agent-list";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { PageLinks } from "@/components/vaults/page-links";
import { VaultIcon } from "@/components/vaults/vault-icon";
import { VaultList } from "@/components/vaults/vault-list";

export const metadata: Metadata = { title: "Vaults" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VaultsPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership((await params).team);
  const query = await searchParams;
  const showArchived = query.archived === "include";
  const cursor = typeof query.page === "string" ? query.page : undefined;
  const base = teamPath(team.slug, "vaults");
  const listHref = (page?: string) => `${base}?${new URLSearchParams({ ...(showArchived ? { archived: "include" } : {}), ...(page ? { page } : {}) })}`.replace(/\?$/, "");

  const prisma = getRuntime().db.prisma;
  const list = (page?: string) =>
    listVaults(prisma, { teamId: team.id, query: new URLSearchParams({ limit: String(PAGE_SIZE), include_archived: String(showArchived), ...(page ? { page } : {}) }) });
  // A page link that no longer decodes (edited by hand) shows the first page.
  const { data, next_page } = await list(cursor).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_request") return list();
    throw error;
  });
  const counts = await countVaultCredentials(prisma, { teamId: team.id, vaultIds: data.map((vault) => vault.id) });
  const hasArchived =
    data.length === 0 && !showArchived && !cursor ? (await listVaults(prisma, { teamId: team.id, query: new URLSearchParams({ limit: "1", include_archived: "true" }) })).data.length > 0 : false;

  const rows = data.map((vault) => ({
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
      <div className="flex flex-col gap-4">
        <ArchivedFilter label="Which vaults to show" activeHref={base} allHref={`${base}?archived=include`} showingAll={showArchived} />
        {rows.length === 0 ? (
          <EmptyState title={hasArchived ? "No active vaults" : "No vaults yet"} icon={<VaultIcon />}>
            <p>
              {hasArchived ? (
                <>
                  Every vault of this team is archived.{" "}
                  <Link href={`${base}?archived=include`} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                    Show archived vaults
                  </Link>
                </>
              ) : showArchived ? (
                "This team has no vaults, archived or not."
              ) : (
                "Create a vault to hold the tokens and keys your agents need."
              )}
            </p>
            <p className="mt-4">
              <Link href={newHref} className={buttonClasses("primary")}>
                Create a vault
              </Link>
            </p>
          </EmptyState>
        ) : (
          <VaultList vaults={rows} caption={showArchived ? "Vaults, including archived ones" : "Active vaults"} />
        )}
        <PageLinks label="Pages of vaults" firstHref={cursor ? listHref() : null} nextHref={next_page ? listHref(next_page) : null} />
      </div>
    </Card>
  );
}
