import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { DangerAction, DangerZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import { SkillUploadForm } from "@/components/skills/skill-upload-form";
import { SkillVersionList } from "@/components/skills/skill-version-list";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { deleteSkillAction, deleteSkillVersionAction, uploadSkillVersionAction } from "../actions";

export const metadata: Metadata = { title: "Skill" };
export const dynamic = "force-dynamic";

/** The page lists this many versions, newest first. */
const SHOWN = 100;

type TProps = { params: Promise<{ team: string; skillId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A skill: its latest SKILL.md, its versions (each deletable), a form for a new version, and Delete. */
export default async function SkillPage({ params, searchParams }: TProps) {
  const { team: slug, skillId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { skills } = useCases();
  const skill = await skills.get({ teamId: team.id, skillId });
  const [versions, latest] = await Promise.all([
    skills.listVersions({ teamId: team.id, skillId, query: new URLSearchParams({ limit: String(SHOWN) }) }),
    skills.readFile({ teamId: team.id, skillId, version: "latest", path: "SKILL.md" }),
  ]);
  const name = versions.data[0]?.name ?? "";
  const query = await searchParams;

  return (
    <>
      <BackLink href={teamPath(team.slug, "skills")}>Skills</BackLink>
      <DetailHeader
        title={skill.display_name}
        meta={
          <>
            <span className="font-mono text-xs">{name}</span> · Updated <DateText date={new Date(skill.updated_at)} /> · <span className="font-mono text-xs">{skill.id}</span>
          </>
        }
      />
      {query.created === "1" ? <Alert tone="success">Skill uploaded. Name it in an agent&apos;s skills to use it.</Alert> : null}
      <Card title="SKILL.md" titleId="skill-md-heading" description={`Of the latest version, ${latest.versionId}: ${latest.paths.length} ${latest.paths.length === 1 ? "file" : "files"}, ${latest.sizeBytes} bytes.`}>
        <pre role="region" aria-label="SKILL.md of the latest version" tabIndex={0} className="max-h-96 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap dark:bg-zinc-950">
          {latest.text ?? "(not UTF-8 text)"}
        </pre>
        <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
          Files:{" "}
          <span className="font-mono" data-testid="skill-files">
            {latest.paths.join(", ")}
          </span>
        </p>
      </Card>
      <Card title="Versions" titleId="skill-versions-heading" description={`${versions.data.length}${versions.next_page ? "+" : ""} ${versions.data.length === 1 ? "version" : "versions"}, newest first.`}>
        <SkillVersionList
          versions={versions.data.map((v) => ({ id: v.id, description: v.description, createdAt: new Date(v.created_at), latest: v.id === skill.latest_version_id }))}
          deleteAction={deleteSkillVersionAction.bind(null, team.slug, skill.id)}
        />
      </Card>
      <Card title="New version" titleId="new-version-heading" description={`Pick the folder again with your changes; its SKILL.md must keep the name ${name}.`}>
        <SkillUploadForm action={uploadSkillVersionAction.bind(null, team.slug, skill.id)} newVersion />
      </Card>
      <DangerZone title="Delete" titleId="skill-danger-heading">
        <DangerAction title="Delete this skill" description="Removes the skill and every version, for good. Agents that name it keep the reference; their sessions go without it.">
          <ConfirmActionForm
            action={deleteSkillAction.bind(null, team.slug, skill.id)}
            fields={{}}
            label="Delete"
            accessibleLabel={`Delete ${skill.display_name}`}
            question="Delete this skill and all its versions?"
            confirmLabel="Delete"
            pendingLabel="Deleting…"
          />
        </DangerAction>
      </DangerZone>
    </>
  );
}
