import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { parseSessionTab } from "@/lib/sessions/ui/session-tab";
import { useCases } from "@/lib/server/root";
import { SessionView } from "@/components/sessions/session-view";
import {
  archiveSessionAction,
  confirmToolAction,
  copyShareLinkAction,
  deleteSessionAction,
  forkSessionAction,
  createShareLinkAction,
  interruptAction,
  revokeShareLinkAction,
  sendCustomToolResultAction,
  sendMessageAction,
} from "./actions";

export const metadata: Metadata = { title: "Session" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string; sessionId: string }>; searchParams: Promise<{ tab?: string | string[] }> };

export default async function SessionPage({ params, searchParams }: TProps) {
  const { team: slug, sessionId } = await params;
  const { tab } = await searchParams;
  const { user, team } = await requireMembership(useCases(), slug);
  const { sessions } = useCases();
  const view = await sessions.loadView({ teamId: team.id, sessionId }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { session } = view;
  const origin = await sessions.forkOrigin({ teamId: team.id, sessionId: session.id });
  const bound = <A extends unknown[], R>(action: (teamSlug: string, sessionId: string, ...rest: A) => R) => action.bind(null, team.slug, session.id);
  return (
    <>
      <nav aria-label="Breadcrumb" className="-mt-2 text-sm">
        <ol className="flex items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
          <li>
            <Link href={teamPath(team.slug, "sessions")} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
              Sessions
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="truncate">
            {session.title || session.id}
          </li>
        </ol>
      </nav>
      <SessionView
        session={{ id: session.id, title: session.title, createdAt: session.created_at, archived: session.archived_at !== null, budget: session.budget }}
        agentName={view.agentName}
        model={view.model}
        initialEvents={view.events}
        initialTab={parseSessionTab(tab)}
        viewer={{ id: user.id, name: user.name }}
        shareLinks={view.shareLinks}
        actorNames={view.actorNames}
        hands={view.hands}
        actions={{
          send: bound(sendMessageAction),
          interrupt: bound(interruptAction),
          confirm: bound(confirmToolAction),
          customResult: bound(sendCustomToolResultAction),
          createShare: bound(createShareLinkAction),
          revokeShare: bound(revokeShareLinkAction),
          copyShare: bound(copyShareLinkAction),
          manage: { archive: bound(archiveSessionAction), delete: bound(deleteSessionAction) },
          fork: bound(forkSessionAction),
        }}
        forkedFrom={
          origin && {
            href: origin.exists ? teamPath(team.slug, "sessions", origin.sessionId) : null,
            title: origin.title,
            sessionId: origin.sessionId,
            eventSeq: origin.eventSeq,
          }
        }
      />
    </>
  );
}
