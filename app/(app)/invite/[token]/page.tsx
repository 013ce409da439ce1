import type { Metadata } from "next";
import Link from "next/link";
import { teamPath } from "@/lib/auth/current-team";
import { requireUser } from "@/lib/auth/require-user";
import { useCases } from "@/lib/server/root";
import { invitationProblemMessage } from "@/lib/teams/invitations/invitation-error";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { RoleBadge } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { AcceptInvitationForm } from "@/components/teams/accept-invitation-form";
import { acceptInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ token: string }> };

/** Shows what the invitation is for; joining takes a click (a GET never uses up the link). */
export default async function InvitePage({ params }: TProps) {
  const { token } = await params;
  const user = await requireUser(useCases(), { returnTo: `/invite/${encodeURIComponent(token)}` });
  const { invitations, teams } = useCases();
  const invitation = await invitations.get({ token });
  const membership = invitation.problem === null ? await teams.findMembership({ teamSlug: invitation.team.slug, userId: user.id }) : null;

  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Team invitation</h1>
      <div className="flex flex-col gap-5 rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        {invitation.problem !== null ? (
          <>
            <Alert tone="error" title="This link cannot be used">
              {invitationProblemMessage(invitation.problem)}
            </Alert>
            <Link href="/teams" className={buttonClasses("secondary", "self-start")}>
              Go to your teams
            </Link>
          </>
        ) : membership ? (
          <>
            <Alert tone="info" title={`You are already a member of ${invitation.team.name}`} />
            <Link href={teamPath(invitation.team.slug)} className={buttonClasses("primary", "self-start")}>
              Open {invitation.team.name}
            </Link>
          </>
        ) : (
          <>
            <div className="flex flex-col gap-2">
              <p className="text-lg">
                {invitation.invitedBy ? `${invitation.invitedBy} invited you` : "You are invited"} to join{" "}
                <strong className="font-semibold">{invitation.team.name}</strong>.
              </p>
              <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
                Role: <RoleBadge role={invitation.role} /> · the link expires <DateText date={invitation.expiresAt} />
              </p>
            </div>
            <AcceptInvitationForm action={acceptInvitationAction.bind(null, token)} teamName={invitation.team.name} />
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              You are signed in as <span className="font-medium">{user.email}</span>. Not you? Sign out from the top bar and sign in with the invited account.
            </p>
          </>
        )}
      </div>
    </div>
  );
}
