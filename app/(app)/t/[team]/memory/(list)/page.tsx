import type { Metadata } from "next";
import Link from "next/link";
import { readListPage } from "@/lib/api/list-page";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { MemoryIcon } from "@/components/memory/memory-icon";
import { MemoryStoreList } from "@/components/memory/memory-store-list";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ArchivableEmptyState, ListFrame } from "@/components/ui/list-frame";

export const metadata: Metadata = { title: "Memory" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MemoryStoresPage({ params, searchParams }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { memoryStores } = useCases();
  const page = await readListPage((query) => memoryStores.list({ teamId: team.id, query }), {
    base: teamPath(team.slug, "memory"),
    searchParams: await searchParams,
    pageSize: PAGE_SIZE,
    probeArchived: true,
  });
  const rows = page.data.map((store) => ({
    id: store.id,
    href: teamPath(team.slug, "memory", store.id),
    name: store.name,
    description: store.description,
    createdAt: new Date(store.created_at),
    archived: store.archived_at !== null,
  }));
  const newHref = teamPath(team.slug, "memory", "new");

  return (
    <Card
      title="Memory stores"
      titleId="memory-stores-heading"
      description="Documents your agents keep between sessions, at paths like files. Every change is kept as a version you can compare or redact."
      actions={
        <Link href={newHref} className={buttonClasses("primary")}>
          <span aria-hidden="true">+</span> New store
        </Link>
      }
    >
      <ListFrame page={page} items="memory stores">
        {rows.length === 0 ? (
          <ArchivableEmptyState
            page={page}
            hasArchived={page.hasArchived}
            item="memory store"
            items="memory stores"
            icon={<MemoryIcon />}
            hint="Create a store for what your agents should remember."
            createHref={newHref}
            createLabel="Create a memory store"
          />
        ) : (
          <MemoryStoreList stores={rows} caption={page.showArchived ? "Memory stores, including archived ones" : "Active memory stores"} />
        )}
      </ListFrame>
    </Card>
  );
}
