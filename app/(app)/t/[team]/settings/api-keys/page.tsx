import type { Metadata } from "next";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { Card } from "@/components/ui/card";
import { ApiKeyCreateForm } from "@/components/teams/api-key-create-form";
import { ApiKeyList } from "@/components/teams/api-key-list";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function ApiKeysPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const keys = await useCases().apiKeys.list({ teamId: team.id });
  return (
    <>
      <Card title="Create an API key" titleId="create-key-heading" description={`Keys act for ${team.name} in the API (/v1). Only a hash of each key is stored. Keys for a self-hosted environment's workers are on that environment's page.`}>
        <ApiKeyCreateForm action={createApiKeyAction.bind(null, team.slug)} />
      </Card>
      <Card title="API keys" titleId="keys-heading" description={keys.length ? `${keys.length} active ${keys.length === 1 ? "key" : "keys"}.` : undefined}>
        <ApiKeyList keys={keys} revokeAction={revokeApiKeyAction.bind(null, team.slug)} />
      </Card>
    </>
  );
}
