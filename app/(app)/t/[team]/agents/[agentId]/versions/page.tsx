import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { TWireAgent } from "@/lib/agents/agent-to-wire";
import { diffLines, diffSegments, diffStats } from "@/lib/agents/ui/diff-lines";
import { parseVersionPair } from "@/lib/agents/ui/version-pair";
import { changedFields, versionDocument } from "@/lib/agents/ui/version-document";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { DateTimeText } from "@/components/agents/date-time-text";
import { DetailHeader } from "@/components/agents/detail-header";
import { Badge } from "@/components/agents/fields";
import { VersionDiff } from "@/components/agents/version-diff";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { INPUT_CLASSES } from "@/components/ui/text-field";

export const metadata: Metadata = { title: "Agent versions" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type TProps = { params: Promise<{ team: string; agentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const notFoundOnMissing = (error: unknown): never => {
  if (error instanceof AppError && error.code === "not_found") notFound();
  throw error;
};

export default async function AgentVersionsPage({ params, searchParams }: TProps) {
  const { team: slug, agentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { agents } = useCases();
  const teamId = team.id;
  const agent = await agents.snapshot({ teamId, agentId }).catch(notFoundOnMissing);
  const query = await searchParams;
  const { from, to } = parseVersionPair(query, agent.version);
  const cursor = typeof query.page === "string" ? query.page : undefined;
  const versionsPath = teamPath(team.slug, "agents", agent.id, "versions");

  const versions = await agents.listVersions({ teamId, agentId, query: new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { page: cursor } : {}) }) }).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === "invalid_request") return agents.listVersions({ teamId, agentId, query: new URLSearchParams({ limit: String(PAGE_SIZE) }) });
      throw error;
    },
  );
  // The version before the page's last one, to say what that one changed.
  const oldest = versions.data.at(-1);
  const beforePage = oldest && oldest.version > 1 ? await agents.snapshot({ teamId, agentId, version: oldest.version - 1 }) : null;
  const previousOf = (index: number): TWireAgent | null => versions.data[index + 1] ?? (index === versions.data.length - 1 ? beforePage : null);

  const [before, after] = await Promise.all([agents.snapshot({ teamId, agentId, version: from }), agents.snapshot({ teamId, agentId, version: to })]);
  const diff = diffLines(versionDocument(before), versionDocument(after));
  const segments = diffSegments(diff);
  const stats = diffStats(diff);
  const choices = Array.from({ length: agent.version }, (_, i) => agent.version - i);

  return (
    <>
      <BackLink href={teamPath(team.slug, "agents", agent.id)}>{agent.name}</BackLink>
      <DetailHeader
        title={<>Versions of {agent.name}</>}
        badges={agent.archived_at ? <Badge tone="warning">Archived</Badge> : null}
        meta={`${agent.version} ${agent.version === 1 ? "version" : "versions"}. Every saved change is a new version; sessions keep the version they started with.`}
      />

      <Card title="Compare versions" titleId="compare-heading" description="The configuration of each version as JSON (keys sorted; a multi-line system prompt one line per line).">
        <div className="flex flex-col gap-5">
          <Form action={versionsPath} className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <VersionSelect id="diff-from" name="from" label="From version" value={from} choices={choices} />
            <VersionSelect id="diff-to" name="to" label="To version" value={to} choices={choices} />
            <Button type="submit" variant="secondary">
              Compare
            </Button>
          </Form>
          <section aria-labelledby="diff-heading" className="flex flex-col gap-3">
            <h3 id="diff-heading" className="text-sm font-medium">
              Version {from} → version {to}:{" "}
              {segments.length === 0 ? (
                <span className="font-normal text-zinc-600 dark:text-zinc-400">no differences</span>
              ) : (
                <span className="font-normal">
                  <span className="text-emerald-700 dark:text-emerald-400">
                    +{stats.added} {stats.added === 1 ? "line" : "lines"}
                  </span>
                  ,{" "}
                  <span className="text-red-700 dark:text-red-400">
                    −{stats.removed} {stats.removed === 1 ? "line" : "lines"}
                  </span>
                </span>
              )}
            </h3>
            {segments.length === 0 ? (
              <Alert tone="info">{from === to ? "Choose two different versions to see what changed." : `Versions ${from} and ${to} hold the same configuration.`}</Alert>
            ) : (
              <VersionDiff segments={segments} caption={`Changes from version ${from} to version ${to}`} />
            )}
          </section>
        </div>
      </Card>

      <Card title="History" titleId="history-heading" description="Newest first.">
        <ol aria-label="Versions" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
          {versions.data.map((version, index) => {
            const previous = previousOf(index);
            const changes = previous ? changedFields(previous, version) : null;
            return (
              <li key={version.version} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="flex min-w-0 flex-col gap-0.5">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">Version {version.version}</span>
                    {version.version === agent.version ? <Badge tone="brand">Current</Badge> : null}
                  </p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    <DateTimeText date={new Date(version.updated_at)} />
                    {" · "}
                    {version.version === 1 ? "first version" : changes && changes.length > 0 ? `changed ${changes.join(", ")}` : changes ? "no changes" : ""}
                  </p>
                </div>
                {version.version > 1 ? (
                  <Link
                    href={`${versionsPath}?${new URLSearchParams({ from: String(version.version - 1), to: String(version.version) })}`}
                    className={buttonClasses("ghost", "self-start px-2.5 py-1.5 sm:self-auto")}
                    aria-label={`Compare version ${version.version} with version ${version.version - 1}`}
                  >
                    Compare with v{version.version - 1}
                  </Link>
                ) : null}
              </li>
            );
          })}
        </ol>
        {versions.next_page || cursor ? (
          <nav aria-label="Pages of versions" className="mt-4 flex justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
            {cursor ? (
              <Link href={versionsPath} className={buttonClasses("secondary")}>
                Newest versions
              </Link>
            ) : (
              <span />
            )}
            {versions.next_page ? (
              <Link href={`${versionsPath}?${new URLSearchParams({ page: versions.next_page })}`} className={buttonClasses("secondary")}>
                Older versions
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}

function VersionSelect({ id, name, label, value, choices }: { id: string; name: string; label: string; value: number; choices: number[] }) {
  return (
    <div className="flex flex-col gap-1.5 sm:w-40">
      <label htmlFor={id} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select id={id} name={name} defaultValue={String(value)} className={INPUT_CLASSES}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            Version {choice}
          </option>
        ))}
      </select>
    </div>
  );
}
