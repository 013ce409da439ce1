import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { SkillList, type TSkillRow } from "@/components/skills/skill-list";
import { SkillUploadForm } from "@/components/skills/skill-upload-form";
import { Card, EmptyState } from "@/components/ui/card";
import { uploadSkillAction } from "../actions";

export const metadata: Metadata = { title: "Skills" };
export const dynamic = "force-dynamic";

/** The page lists this many skills, newest first (the API pages through all of them). */
const SHOWN = 100;

type TProps = { params: Promise<{ team: string }> };

/** The team's skills (folders with a SKILL.md its agents can name), and a form to upload a new one. */
export default async function SkillsPage({ params }: TProps) {
  const { team } = await requireMembership(useCases(), (await params).team);
  const { skills } = useCases();
  const listed = await skills.list({ teamId: team.id, query: new URLSearchParams({ limit: String(SHOWN) }) });
  const rows: TSkillRow[] = await Promise.all(
    listed.data.map(async (skill) => {
      const latest = await skills.getVersion({ teamId: team.id, skillId: skill.id, version: skill.latest_version_id });
      return {
        id: skill.id,
        href: teamPath(team.slug, "skills", skill.id),
        displayName: skill.display_name,
        name: latest.name,
        description: latest.description,
        latestVersionId: skill.latest_version_id,
        updatedAt: new Date(skill.updated_at),
      };
    }),
  );
  return (
    <>
      <Card title="Skills" titleId="skills-heading" description="Folders of instructions and scripts your agents can use: name a skill in an agent's skills, and its sessions find it under /mnt/skills.">
        {rows.length === 0 ? (
          <EmptyState title="No skills yet">
            <p>Upload a skill's folder below, or through the API (POST /v1/skills).</p>
          </EmptyState>
        ) : (
          <SkillList skills={rows} />
        )}
        {listed.next_page ? <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">Only the newest {SHOWN} skills are shown.</p> : null}
      </Card>
      <Card title="Upload a skill" titleId="upload-skill-heading" description="Pick the skill's folder; its SKILL.md names it. To change an existing skill, upload a new version on its page.">
        <SkillUploadForm action={uploadSkillAction.bind(null, team.slug)} />
      </Card>
    </>
  );
}
