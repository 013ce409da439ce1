import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { configuredSandboxProviders } from "@/lib/environments/check-sandbox-provider";
import { environmentFormValues } from "@/lib/environments/ui/environment-form";
import { sandboxLabel } from "@/lib/environments/ui/environment-summary";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { ArchiveOrDeleteZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { EnvironmentKeys } from "@/components/environments/environment-keys";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { archiveEnvironmentAction, deleteEnvironmentAction, updateEnvironmentAction } from "../actions";
import { createEnvironmentKeyAction, revokeEnvironmentKeyAction } from "./key-actions";

export const metadata: Metadata = { title: "Environment" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string; environmentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function EnvironmentPage({ params, searchParams }: TProps) {
  const { team: slug, environmentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const env = await useCases().environments.get({ teamId: team.id, environmentId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const created = (await searchParams).created === "1";
  const archived = env.archived_at !== null;
  const selfHosted = env.config.type === "self_hosted";
  const keys = selfHosted ? await useCases().environmentKeys.list({ teamId: team.id, environmentId: env.id }) : [];

  return (
    <>
      <BackLink href={teamPath(team.slug, "environments")}>Environments</BackLink>
      <DetailHeader
        title={env.name}
        badges={
          <>
            <Badge tone="brand">{sandboxLabel(env.config)}</Badge>
            {archived ? <Badge tone="warning">Archived</Badge> : null}
          </>
        }
        meta={
          <>
            Updated <DateText date={new Date(env.updated_at)} /> · <span className="font-mono text-xs">{env.id}</span>
          </>
        }
      />
      {archived ? (
        <Alert tone="info" title="This environment is archived">
          Archived <DateText date={new Date(env.archived_at!)} />. It cannot be edited or used for new sessions; sessions that already use it go on.
        </Alert>
      ) : null}
      <Card title="Configuration" titleId="environment-configuration-heading">
        <EnvironmentForm
          action={updateEnvironmentAction.bind(null, team.slug, env.id)}
          initial={environmentFormValues(env)}
          isNew={false}
          notice={created ? "Environment created." : undefined}
          readOnly={archived}
          vercelConfigured={configuredSandboxProviders().includes("vercel")}
        />
      </Card>
      {selfHosted ? (
        <Card
          title="Environment keys"
          titleId="environment-keys-heading"
          description="Workers on your own machines poll this environment's work queue with one of these keys; a key authorizes nothing else. Only a hash of each key is stored."
        >
          <EnvironmentKeys
            environmentId={env.id}
            platformUrl={await platformUrl()}
            keys={keys}
            createAction={archived ? null : createEnvironmentKeyAction.bind(null, team.slug, env.id)}
            revokeAction={revokeEnvironmentKeyAction.bind(null, team.slug, env.id)}
          />
        </Card>
      ) : null}
      <ArchiveOrDeleteZone
        noun="environment"
        name={env.name}
        archived={archived}
        archive={{ action: archiveEnvironmentAction.bind(null, team.slug, env.id), question: "Archive this environment?", description: "No new sessions can use it and it can no longer be edited; sessions that use it go on. Archiving cannot be undone." }}
        remove={{ action: deleteEnvironmentAction.bind(null, team.slug, env.id), question: "Delete this environment for good?", description: "Removes it for good. Not possible while sessions use it, archived sessions included." }}
      />
    </>
  );
}

/** This server's address as the browser reached it: what a worker on another machine dials. */
async function platformUrl(): Promise<string> {
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host") ?? "localhost:3000";
  const proto = request.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}
