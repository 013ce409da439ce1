import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { credentialFormValues } from "@/lib/vault/ui/credential-form";
import { credentialTarget, TYPE_LABELS } from "@/lib/vault/ui/credential-summary";
import { BackLink } from "@/components/agents/back-link";
import { ArchiveOrDeleteZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { CredentialDetails } from "@/components/vaults/credential-details";
import { CredentialUpdateForm } from "@/components/vaults/credential-update-form";
import { CredentialValidateForm } from "@/components/vaults/credential-validate-form";
import { archiveCredentialAction, deleteCredentialAction, updateCredentialAction, validateCredentialAction } from "../actions";

export const metadata: Metadata = { title: "Credential" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string; vaultId: string; credentialId: string }> };

/** A credential's public fields, the form that rotates its secret, archive and delete. */
export default async function CredentialPage({ params }: TProps) {
  const { team: slug, vaultId, credentialId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { vaults, credentials } = useCases();
  const found = await Promise.all([vaults.get({ teamId: team.id, vaultId }), credentials.get({ teamId: team.id, vaultId, credentialId })]).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    },
  );
  const [vault, credential] = found;
  const name = credential.display_name ?? credentialTarget(credential.auth);
  const archived = credential.archived_at !== null;
  const readOnly = archived || vault.archived_at !== null;
  const bound = [team.slug, vault.id, credential.id] as const;

  return (
    <>
      <BackLink href={teamPath(team.slug, "vaults", vault.id)}>{vault.display_name}</BackLink>
      <DetailHeader
        title={name}
        badges={
          <>
            <Badge tone="brand">{TYPE_LABELS[credential.auth.type]}</Badge>
            {archived ? <Badge tone="warning">Archived</Badge> : null}
          </>
        }
        meta={
          <>
            Updated <DateText date={new Date(credential.updated_at)} /> · <span className="font-mono text-xs">{credential.id}</span>
          </>
        }
      />
      {archived ? (
        <Alert tone="info" title="This credential is archived">
          Archived <DateText date={new Date(credential.archived_at!)} />. It is no longer given to sessions and cannot be changed.
        </Alert>
      ) : vault.archived_at ? (
        <Alert tone="info">The vault is archived: its credentials cannot be changed.</Alert>
      ) : null}
      <Card title="Details" titleId="credential-details-heading">
        <CredentialDetails auth={credential.auth} createdAt={new Date(credential.created_at)} updatedAt={new Date(credential.updated_at)} />
      </Card>
      {readOnly || credential.auth.type !== "mcp_oauth" ? null : (
        <Card title="Check the token" titleId="credential-validate-heading" description="Refreshes the token if it is about to expire, then asks the MCP server whether it accepts it.">
          <CredentialValidateForm action={validateCredentialAction.bind(null, ...bound)} />
        </Card>
      )}
      {readOnly ? null : (
        <Card title="Rotate the secret or change settings" titleId="credential-update-heading" description="Type a new secret to replace the stored one; the old one is gone once you save.">
          <CredentialUpdateForm action={updateCredentialAction.bind(null, ...bound)} initial={credentialFormValues(credential)} />
        </Card>
      )}
      <ArchiveOrDeleteZone
        noun="credential"
        name={name}
        archived={archived}
        archive={{ action: archiveCredentialAction.bind(null, ...bound), question: "Archive this credential?", description: "It is no longer given to sessions and cannot be changed; its server or variable name is free for a new one. Archiving cannot be undone." }}
        remove={{ action: deleteCredentialAction.bind(null, ...bound), question: "Delete this credential for good?", description: "Removes it and its secret for good." }}
      />
    </>
  );
}
