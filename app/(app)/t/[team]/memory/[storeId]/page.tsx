import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { memoryTree } from "@/lib/memory-stores/ui/memory-tree";
import { useCases } from "@/lib/server/root";
import { getRuntimeInfo } from "@/lib/server/runtime-info";
import { BackLink } from "@/components/agents/back-link";
import { ArchiveOrDeleteZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { DreamForm } from "@/components/memory/dream-form";
import { DreamList } from "@/components/memory/dream-list";
import { MemoryForm } from "@/components/memory/memory-form";
import { MemoryIcon } from "@/components/memory/memory-icon";
import { MemoryTree } from "@/components/memory/memory-tree";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { archiveMemoryStoreAction, createMemoryAction, deleteMemoryStoreAction, dreamStoreAction } from "../actions";

export const metadata: Metadata = { title: "Memory store" };
export const dynamic = "force-dynamic";

/** The browser shows at most this many memories; a bigger store says so (the API lists them all). */
const TREE_LIMIT = 1000;

type TProps = { params: Promise<{ team: string; storeId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A memory store: its memories as a tree of paths, a form for a new one, its dreams and a "Dream" form, archive and delete. */
export default async function MemoryStorePage({ params, searchParams }: TProps) {
  const { team: slug, storeId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { memoryStores, memories } = useCases();
  const store = await memoryStores.get({ teamId: team.id, storeId });
  const listed = await memories.list({ teamId: team.id, storeId, query: new URLSearchParams({ limit: String(TREE_LIMIT) }) });
  const files = listed.data.flatMap((item) => (item.type === "memory" ? [item] : []));
  const archived = store.archived_at !== null;
  const dreams = await useCases().dreams.listOfStore({ teamId: team.id, storeId });
  const query = await searchParams;

  return (
    <>
      <BackLink href={teamPath(team.slug, "memory")}>Memory stores</BackLink>
      <DetailHeader
        title={store.name}
        badges={archived ? <Badge tone="warning">Archived</Badge> : null}
        meta={
          <>
            Created <DateText date={new Date(store.created_at)} /> · <span className="font-mono text-xs">{store.id}</span>
          </>
        }
      />
      {store.description ? <p className="text-sm text-zinc-700 dark:text-zinc-300">{store.description}</p> : null}
      {query.created === "1" ? <Alert tone="success">Memory store created. Add its first memory below.</Alert> : null}
      {archived ? (
        <Alert tone="info" title="This memory store is archived">
          Archived <DateText date={new Date(store.archived_at!)} />. Its memories and their history can still be read, deleted and redacted; nothing new is written.
        </Alert>
      ) : null}
      <Card title="Memories" titleId="memories-heading" description={`${files.length}${listed.next_page ? "+" : ""} ${files.length === 1 ? "memory" : "memories"}, by path.`}>
        {files.length === 0 ? (
          <EmptyState title="No memories" icon={<MemoryIcon />}>
            <p>{archived ? "This store holds no memories." : "Add one below, or let your agents write them."}</p>
          </EmptyState>
        ) : (
          <MemoryTree nodes={memoryTree(files)} hrefOf={(id) => teamPath(team.slug, "memory", store.id, "memories", id)} />
        )}
        {listed.next_page ? <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">Only the first {TREE_LIMIT} memories are shown.</p> : null}
      </Card>
      {archived ? null : (
        <Card title="New memory" titleId="new-memory-heading" description="A text document at a path. Its first version is kept from the start.">
          <MemoryForm action={createMemoryAction.bind(null, team.slug, store.id)} label="New memory" submitLabel="Add memory" />
        </Card>
      )}
      <Card
        title="Dreams"
        titleId="dreams-heading"
        description="A dream reads this store and the team's recent sessions, then writes a reorganised store: a new one, or this one. It runs as a session you can follow."
      >
        {dreams.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No dreams yet.</p>
        ) : (
          <DreamList
            dreams={dreams}
            storeId={store.id}
            storeHref={(id) => teamPath(team.slug, "memory", id)}
            sessionHref={(id) => teamPath(team.slug, "sessions", id)}
          />
        )}
        {archived ? null : (
          <div className="mt-4">
            <DreamForm action={dreamStoreAction.bind(null, team.slug, store.id)} defaultModel={getRuntimeInfo().defaultModel} />
          </div>
        )}
      </Card>
      <ArchiveOrDeleteZone
        noun="store"
        name={store.name}
        archived={archived}
        archive={{
          action: archiveMemoryStoreAction.bind(null, team.slug, store.id),
          question: "Archive this memory store?",
          description: "Its memories stay readable, but nothing new can be written to it. Archiving cannot be undone.",
        }}
        remove={{
          action: deleteMemoryStoreAction.bind(null, team.slug, store.id),
          question: "Delete this store, its memories and their history?",
          description: "Removes the store, every memory in it and every version, for good.",
        }}
      />
    </>
  );
}
