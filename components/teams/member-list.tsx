import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";
import { RoleBadge } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";

export type TMemberRow = { userId: string; name: string; email: string; role: string; joinedAt: Date };

/**
 * The team's members. Owners get a Remove button on every row; everyone gets Leave on their own
 * (the server refuses to remove the last owner, and says so next to the button).
 */
export function MemberList({ members, currentUserId, canManage, removeAction }: { members: TMemberRow[]; currentUserId: string; canManage: boolean; removeAction: TFormAction<null> }) {
  return (
    <ul aria-label="Members" className="-my-2 divide-y divide-zinc-200 dark:divide-zinc-800">
      {members.map((member) => {
        const isSelf = member.userId === currentUserId;
        return (
          <li key={member.userId} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between">
            <div className="flex min-w-0 flex-col gap-0.5">
              <p className="flex flex-wrap items-center gap-2">
                <span className="truncate font-medium">{member.name}</span>
                {isSelf ? <span className="text-sm text-zinc-500 dark:text-zinc-400">(you)</span> : null}
                <RoleBadge role={member.role} />
              </p>
              <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
                {member.email} · joined <DateText date={member.joinedAt} />
              </p>
            </div>
            {isSelf ? (
              <ConfirmActionForm
                action={removeAction}
                fields={{ userId: member.userId }}
                label="Leave team"
                question="Leave this team? You will lose access to it."
                confirmLabel="Leave"
                pendingLabel="Leaving…"
              />
            ) : canManage ? (
              <ConfirmActionForm
                action={removeAction}
                fields={{ userId: member.userId }}
                label="Remove"
                accessibleLabel={`Remove ${member.name}`}
                question={`Remove ${member.name} from the team?`}
                confirmLabel="Remove"
                pendingLabel="Removing…"
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
