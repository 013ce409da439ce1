import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { EmptyState, RoleBadge } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";

export type TInvitationRow = { id: string; role: string; createdAt: Date; expiresAt: Date; expired: boolean; invitedBy: string | null };

export function InvitationList({ invitations, revokeAction }: { invitations: TInvitationRow[]; revokeAction: TFormAction<null> }) {
  if (invitations.length === 0) {
    return <EmptyState title="No pending invitations">Links you create appear here until they are used, withdrawn or expire.</EmptyState>;
  }
  return (
    <ul aria-label="Pending invitations" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {invitations.map((invitation) => (
        <li key={invitation.id} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between">
          <div className="flex flex-col gap-0.5">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium">Invitation link</span>
              <RoleBadge role={invitation.role} />
              {invitation.expired ? (
                <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-300 ring-inset dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800">
                  Expired
                </span>
              ) : null}
            </p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Created <DateText date={invitation.createdAt} />
              {invitation.invitedBy ? ` by ${invitation.invitedBy}` : ""} · {invitation.expired ? "expired" : "expires"} <DateText date={invitation.expiresAt} />
            </p>
          </div>
          <ConfirmActionForm
            action={revokeAction}
            fields={{ invitationId: invitation.id }}
            label="Withdraw"
            accessibleLabel={`Withdraw the ${invitation.role} invitation created ${invitation.createdAt.toISOString().slice(0, 10)}`}
            question="Withdraw this link? It stops working at once."
            confirmLabel="Withdraw"
            pendingLabel="Withdrawing…"
          />
        </li>
      ))}
    </ul>
  );
}
