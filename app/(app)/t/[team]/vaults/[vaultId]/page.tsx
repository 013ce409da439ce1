import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { credentialHosts, credentialTarget, TYPE_LABELS } from "@/lib/vault/ui/credential-summary";
import { BackLink } from "@/components/agents/back-link";
import { ArchiveOrDeleteZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { ListFrame } from "@/components/ui/list-frame";
import { CredentialList } from "@/components/vaults/credential-list";
import { VaultIcon } from "@/components/vaults/vault-icon";
import { archiveVaultAction, deleteVaultAction } from "../actions";

export const metadata: Metadata = { title: "Vault" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string; vaultId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A vault and its credentials (public fields only), with archive and delete. */
export default async function VaultPage({ params, searchParams }: TProps) {
  const { team: slug, vaultId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { vaults, credentials } = useCases();
  // Another team's vault reads exactly like one that does not exist.
  const vault = await vaults.get({ teamId: team.id, vaultId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const query = await searchParams;
  const page = await readListPage((listQuery) => credentials.list({ teamId: team.id, vaultId: vault.id, query: listQuery }), {
    base: teamPath(team.slug, "vaults", vault.id),
    searchParams: query,
    pageSize: PAGE_SIZE,
  });
  const rows = page.data.map((credential) => ({
    id: credential.id,
    href: teamPath(team.slug, "vaults", vault.id, "credentials", credential.id),
    name: credential.display_name ?? credentialTarget(credential.auth),
    type: TYPE_LABELS[credential.auth.type],
    target: credentialTarget(credential.auth),
    hosts: credentialHosts(credential.auth),
    createdAt: new Date(credential.created_at),
    updatedAt: new Date(credential.updated_at),
    archived: credential.archived_at !== null,
  }));
  const archived = vault.archived_at !== null;
  const notice = query.created === "1" ? "Vault created. Add its first credential." : query.added === "1" ? "Credential added. Its secret is stored encrypted and will not be shown again." : null;
  const addHref = teamPath(team.slug, "vaults", vault.id, "credentials", "new");

  return (
    <>
      <BackLink href={teamPath(team.slug, "vaults")}>Vaults</BackLink>
      <DetailHeader
        title={vault.display_name}
        badges={archived ? <Badge tone="warning">Archived</Badge> : null}
        meta={
          <>
            Created <DateText date={new Date(vault.created_at)} /> · <span className="font-mono text-xs">{vault.id}</span>
          </>
        }
      />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {archived ? (
        <Alert tone="info" title="This vault is archived">
          Archived <DateText date={new Date(vault.archived_at!)} />. It takes no new credentials, and its credentials are no longer given to sessions.
        </Alert>
      ) : null}
      <Card
        title="Credentials"
        titleId="credentials-heading"
        description="Secrets are write-only: you can replace one, never read it back."
        actions={
          archived ? null : (
            <Link href={addHref} className={buttonClasses("primary")}>
              <span aria-hidden="true">+</span> Add credential
            </Link>
          )
        }
      >
        <ListFrame page={page} items="credentials">
          {rows.length === 0 ? (
            <EmptyState title="No credentials" icon={<VaultIcon />}>
              <p>{archived ? "This vault holds no active credentials." : "Add a token for an MCP server, or a secret the sandbox's requests may carry to the hosts you allow."}</p>
            </EmptyState>
          ) : (
            <CredentialList credentials={rows} caption={page.showArchived ? "Credentials, including archived ones" : "Active credentials"} />
          )}
        </ListFrame>
      </Card>
      <ArchiveOrDeleteZone
        noun="vault"
        name={vault.display_name}
        archived={archived}
        archive={{ action: archiveVaultAction.bind(null, team.slug, vault.id), question: "Archive this vault?", description: "It takes no new credentials and its credentials are no longer given to sessions. Archiving cannot be undone." }}
        remove={{ action: deleteVaultAction.bind(null, team.slug, vault.id), question: "Delete this vault and all its credentials?", description: "Removes it and every credential in it, secrets included, for good." }}
      />
    </>
  );
}
