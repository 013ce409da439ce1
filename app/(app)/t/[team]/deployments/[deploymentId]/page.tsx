import type { Metadata } from "next";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { BackLink } from "@/components/agents/back-link";
import { DangerAction, DangerZone } from "@/components/agents/danger-zone";
import { DetailHeader } from "@/components/agents/detail-header";
import { DeploymentActionButton } from "@/components/deployments/deployment-action-button";
import { DeploymentRunList } from "@/components/deployments/deployment-run-list";
import { DeploymentStatus } from "@/components/deployments/deployment-status";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DateText, DateTimeText } from "@/components/ui/date-text";
import { archiveDeploymentAction, pauseDeploymentAction, runDeploymentAction, unpauseDeploymentAction } from "../actions";
import { deploymentRows } from "../deployment-rows";

export const metadata: Metadata = { title: "Deployment" };
export const dynamic = "force-dynamic";

/** The page shows this many of the latest runs. */
const SHOWN_RUNS = 50;

type TProps = { params: Promise<{ team: string; deploymentId: string }> };

/** A deployment: what it runs and when, its latest runs (each with its session), Run now, Pause/Unpause, Archive. */
export default async function DeploymentPage({ params }: TProps) {
  const { team: slug, deploymentId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const { deployments, deploymentRuns } = useCases();
  const deployment = await deployments.get({ teamId: team.id, deploymentId });
  const [[row], runs] = await Promise.all([
    deploymentRows(team, [deployment]),
    deploymentRuns.list({ teamId: team.id, query: new URLSearchParams({ deployment_id: deployment.id, limit: String(SHOWN_RUNS) }) }),
  ]);
  const archived = row!.status === "archived";
  const bind = <T,>(action: (slug: string, id: string) => Promise<T>) => action.bind(null, team.slug, deployment.id);

  return (
    <>
      <BackLink href={teamPath(team.slug, "deployments")}>Deployments</BackLink>
      <DetailHeader
        title={deployment.name}
        badges={<DeploymentStatus status={row!.status} />}
        meta={
          <>
            Created <DateText date={new Date(deployment.created_at)} /> · <span className="font-mono text-xs">{deployment.id}</span>
          </>
        }
      />
      {deployment.description ? <p className="text-sm text-zinc-700 dark:text-zinc-300">{deployment.description}</p> : null}
      {archived ? (
        <Alert tone="info" title="This deployment is archived">
          Archived <DateText date={new Date(deployment.archived_at!)} />. It no longer runs; its runs and their sessions stay.
        </Alert>
      ) : null}
      <Card
        title="What it runs"
        titleId="deployment-target-heading"
        actions={
          archived ? null : (
            <div className="flex flex-wrap gap-2">
              <DeploymentActionButton action={bind(runDeploymentAction)} label="Run now" pendingLabel="Starting…" variant="primary" />
              {deployment.status === "paused" ? (
                <DeploymentActionButton action={bind(unpauseDeploymentAction)} label="Unpause" pendingLabel="Unpausing…" />
              ) : (
                <DeploymentActionButton action={bind(pauseDeploymentAction)} label="Pause" pendingLabel="Pausing…" />
              )}
            </div>
          )
        }
      >
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Agent</dt>
            <dd>{row!.agent}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Environment</dt>
            <dd>{row!.environment}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Schedule</dt>
            <dd className="font-mono text-xs">{row!.schedule ?? "On demand only"}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Next runs</dt>
            <dd>
              {row!.nextRuns.length === 0
                ? deployment.status === "paused"
                  ? "None while paused"
                  : "—"
                : row!.nextRuns.map((at, i) => (
                    <span key={at.toISOString()}>
                      {i > 0 ? ", " : ""}
                      <DateTimeText date={at} />
                    </span>
                  ))}
            </dd>
          </div>
        </dl>
      </Card>
      <Card title="Runs" titleId="deployment-runs-heading" description={`The latest ${SHOWN_RUNS} at most, newest first.`}>
        <DeploymentRunList
          runs={runs.data.map((run) => ({
            id: run.id,
            createdAt: new Date(run.created_at),
            trigger: run.trigger_context.type === "schedule" ? "Schedule" : "Manual",
            sessionId: run.session_id,
            sessionHref: run.session_id ? teamPath(team.slug, "sessions", run.session_id) : null,
            error: run.error ? run.error.message : null,
          }))}
        />
      </Card>
      {archived ? null : (
        <DangerZone title="Archive" titleId="deployment-danger-heading">
          <DangerAction title="Archive this deployment" description="It stops running, on schedule or on demand; its runs and sessions stay. Archiving cannot be undone.">
            <ConfirmActionForm
              action={bind(archiveDeploymentAction)}
              fields={{}}
              label="Archive"
              accessibleLabel={`Archive ${deployment.name}`}
              question="Archive this deployment?"
              confirmLabel="Archive"
              pendingLabel="Archiving…"
            />
          </DangerAction>
        </DangerZone>
      )}
    </>
  );
}
