import type { Metadata } from "next";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";
import { Card } from "@/components/ui/card";
import { InvitationList } from "@/components/teams/invitation-list";
import { InviteForm } from "@/components/teams/invite-form";
import { MemberList } from "@/components/teams/member-list";
import { createInvitationAction, removeMemberAction, revokeInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Members" };
export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ team: string }> };

export default async function MembersPage({ params }: TProps) {
  const { user, team, role } = await requireMembership(useCases(), (await params).team);
  const isOwner = role === "owner";
  const [members, invitations] = await Promise.all([useCases().members.list({ teamId: team.id }), isOwner ? useCases().invitations.list({ teamId: team.id }) : []]);

  return (
    <>
      <Card
        title="Members"
        titleId="members-heading"
        description={`${members.length} ${members.length === 1 ? "person" : "people"} in ${team.name}.${isOwner ? "" : " Only owners can invite or remove members."}`}
      >
        <MemberList members={members} currentUserId={user.id} canManage={isOwner} removeAction={removeMemberAction.bind(null, team.slug)} />
      </Card>
      {isOwner ? (
        <>
          <Card title="Invite people" titleId="invite-heading" description="Create a link and send it to the person you want to invite. Each link works once and expires after 7 days.">
            <InviteForm action={createInvitationAction.bind(null, team.slug)} />
          </Card>
          <Card title="Pending invitations" titleId="invitations-heading">
            <InvitationList invitations={invitations} revokeAction={revokeInvitationAction.bind(null, team.slug)} />
          </Card>
        </>
      ) : null}
    </>
  );
}
