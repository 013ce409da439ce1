import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { MemoryStoreCreateForm } from "@/components/memory/memory-store-create-form";
import { Card } from "@/components/ui/card";
import { createMemoryStoreAction } from "../actions";

export const metadata: Metadata = { title: "New memory store" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function NewMemoryStorePage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  return (
    <>
      <BackLink href={teamPath(team.slug, "memory")}>Memory stores</BackLink>
      <Card title="New memory store" titleId="new-memory-store-heading" description="A store holds text documents at paths; every change to one is kept as a version.">
        <MemoryStoreCreateForm action={createMemoryStoreAction.bind(null, team.slug)} cancelHref={teamPath(team.slug, "memory")} />
      </Card>
    </>
  );
}
