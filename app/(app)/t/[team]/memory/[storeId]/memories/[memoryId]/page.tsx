import type { Metadata } from "next";
import Form from "next/form";
import { orNotFound } from "@/app/(app)/or-not-found";
import { diffLines, diffSegments, diffStats } from "@/lib/agents/ui/diff-lines";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import type { TWireMemoryVersion } from "@/lib/memory-stores/memory-version-to-wire";
import { formatBytes } from "@/lib/memory-stores/ui/memory-tree";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { DangerAction, DangerZone } from "@/components/agents/danger-zone";
import { DateTimeText } from "@/components/agents/date-time-text";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { VersionDiff } from "@/components/agents/version-diff";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import { MemoryForm } from "@/components/memory/memory-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { INPUT_CLASSES } from "@/components/ui/text-field";
import { deleteMemoryAction, redactMemoryVersionAction, updateMemoryAction } from "../../../actions";

export const metadata: Metadata = { title: "Memory" };
export const dynamic = "force-dynamic";

/** The history the page shows, newest first (the API lists all of it). */
const HISTORY_LIMIT = 100;

type TProps = { params: Promise<{ team: string; storeId: string; memoryId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const hasContent = (version: TWireMemoryVersion) => version.redacted_at === null && version.operation !== "deleted";
const ACTOR_LABEL = { api_actor: "an API key", user_actor: "a member", session_actor: "a session" } as const;

/**
 * One memory: its content (editable, saved as a new version on the condition that nobody wrote in
 * between), its versions side by side as a line diff between any two, redaction of old versions
 * with confirmation, and delete.
 */
export default async function MemoryPage({ params, searchParams }: TProps) {
  const { team: slug, storeId, memoryId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { memoryStores, memories, memoryVersions } = useCases();
  const store = await memoryStores.get({ teamId: team.id, storeId });
  const memory = await orNotFound(memories.get({ teamId: team.id, storeId, memoryId }));
  const history = (await memoryVersions.list({ teamId: team.id, storeId, query: new URLSearchParams({ memory_id: memory.id, limit: String(HISTORY_LIMIT) }) })).data;
  const numbered = history.map((version, i) => ({ version, n: history.length - i }));
  const readable = numbered.filter(({ version }) => hasContent(version));

  // The pair to compare: chosen in the form, else the current version and the one before it.
  const query = await searchParams;
  const pick = (key: string, fallback: (typeof readable)[number] | undefined) => readable.find(({ version }) => version.id === query[key]) ?? fallback;
  const to = pick("to", readable[0]);
  const from = pick("from", readable[1]);
  const [before, after] = from && to ? await Promise.all([from, to].map(({ version }) => memoryVersions.get({ teamId: team.id, storeId, versionId: version.id }))) : [];
  const diff = before && after ? diffLines((before.content ?? "").split("\n"), (after.content ?? "").split("\n")) : null;
  const segments = diff ? diffSegments(diff) : [];
  const stats = diff ? diffStats(diff) : null;
  const archived = store.archived_at !== null;
  const memoryHref = teamPath(team.slug, "memory", store.id, "memories", memory.id);

  return (
    <>
      <BackLink href={teamPath(team.slug, "memory", store.id)}>{store.name}</BackLink>
      <DetailHeader
        title={<span className="font-mono break-all">{memory.path}</span>}
        badges={archived ? <Badge tone="warning">Store archived</Badge> : null}
        meta={
          <>
            {formatBytes(memory.content_size_bytes)} · {history.length} {history.length === 1 ? "version" : "versions"} · changed <DateTimeText date={new Date(memory.updated_at)} /> ·{" "}
            <span className="font-mono text-xs">{memory.id}</span>
          </>
        }
      />
      <Card title={archived ? "Content" : "Edit"} titleId="content-heading" description={archived ? undefined : "Saving writes a new version; the old ones are kept."}>
        {archived ? (
          <pre className="overflow-x-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap dark:bg-zinc-950">{memory.content}</pre>
        ) : (
          <MemoryForm
            action={updateMemoryAction.bind(null, team.slug, store.id, memory.id)}
            initial={{ path: memory.path, content: memory.content ?? "", sha256: memory.content_sha256 }}
            label="Edit memory"
            submitLabel="Save"
          />
        )}
      </Card>

      <Card title="Compare versions" titleId="compare-heading" description="Any two versions that still have their content, line by line.">
        <div className="flex flex-col gap-5">
          {readable.length >= 2 ? (
            <Form action={memoryHref} className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <VersionSelect id="diff-from" name="from" label="From version" value={from?.version.id} choices={readable} />
              <VersionSelect id="diff-to" name="to" label="To version" value={to?.version.id} choices={readable} />
              <Button type="submit" variant="secondary">
                Compare
              </Button>
            </Form>
          ) : null}
          {from && to && stats ? (
            <section aria-labelledby="diff-heading" className="flex flex-col gap-3">
              <h3 id="diff-heading" className="text-sm font-medium">
                Version {from.n} → version {to.n}:{" "}
                <span className="font-normal">
                  <span className="text-emerald-700 dark:text-emerald-400">+{stats.added}</span>, <span className="text-red-700 dark:text-red-400">−{stats.removed}</span> lines
                </span>
              </h3>
              {segments.length === 0 ? (
                <Alert tone="info">{from.n === to.n ? "Choose two different versions to see what changed." : "These versions hold the same content."}</Alert>
              ) : (
                <VersionDiff segments={segments} caption={`Changes from version ${from.n} to version ${to.n}`} />
              )}
            </section>
          ) : (
            <Alert tone="info">There is only one version with content to show, so nothing to compare yet.</Alert>
          )}
        </div>
      </Card>

      <Card title="History" titleId="history-heading" description="Newest first. Redacting a version erases its content and path for good; the record that it was written stays.">
        <ol aria-label="Versions" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
          {numbered.map(({ version, n }) => {
            const current = version.id === memory.memory_version_id;
            return (
              <li key={version.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" aria-label={`Version ${n}`}>
                <div className="flex min-w-0 flex-col gap-0.5">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">Version {n}</span>
                    <span className="text-sm text-zinc-600 dark:text-zinc-400">{version.operation}</span>
                    {current ? <Badge tone="brand">Current</Badge> : null}
                    {version.redacted_at ? <Badge tone="warning">Redacted</Badge> : null}
                  </p>
                  <p className="text-sm break-all text-zinc-600 dark:text-zinc-400">
                    <DateTimeText date={new Date(version.created_at)} />
                    {version.created_by ? ` · by ${ACTOR_LABEL[version.created_by.type]}` : ""}
                    {version.path ? <> · <span className="font-mono">{version.path}</span></> : null}
                    {version.content_size_bytes !== null ? ` · ${formatBytes(version.content_size_bytes)}` : ""}
                    {version.redacted_at ? <> · redacted <DateTimeText date={new Date(version.redacted_at)} /></> : null}
                  </p>
                </div>
                {!current && hasContent(version) ? (
                  <ConfirmActionForm
                    action={redactMemoryVersionAction.bind(null, team.slug, store.id, version.id)}
                    fields={{}}
                    label="Redact"
                    accessibleLabel={`Redact version ${n}`}
                    question="Erase this version's content for good?"
                    confirmLabel="Redact"
                    pendingLabel="Redacting…"
                  />
                ) : null}
              </li>
            );
          })}
        </ol>
      </Card>

      <DangerZone title="Delete" titleId="memory-danger-heading">
        <DangerAction title="Delete this memory" description="It leaves the store; its versions stay in the history until the store is deleted (redact them to erase their content).">
          <ConfirmActionForm
            action={deleteMemoryAction.bind(null, team.slug, store.id, memory.id)}
            fields={{}}
            label="Delete"
            accessibleLabel={`Delete ${memory.path}`}
            question="Delete this memory?"
            confirmLabel="Delete"
            pendingLabel="Deleting…"
          />
        </DangerAction>
      </DangerZone>
    </>
  );
}

function VersionSelect({ id, name, label, value, choices }: { id: string; name: string; label: string; value?: string; choices: { version: TWireMemoryVersion; n: number }[] }) {
  return (
    <div className="flex flex-col gap-1.5 sm:w-48">
      <label htmlFor={id} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={INPUT_CLASSES}>
        {choices.map(({ version, n }) => (
          <option key={version.id} value={version.id}>
            Version {n}
          </option>
        ))}
      </select>
    </div>
  );
}
