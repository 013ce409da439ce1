"use client";

import { DangerAction, DangerZone } from "@/components/agents/danger-zone";
import { ConfirmActionForm } from "@/components/forms/confirm-action-form";
import type { TFormAction } from "@/components/forms/form-state";

export type TSessionManageActions = { archive: TFormAction<null>; delete: TFormAction<null> };

/**
 * Archiving and deleting the session, at the end of its page, each asking first. A running session
 * is refused by the server with what to do (interrupt it first), shown next to the button.
 */
export function SessionManage({ archived, actions }: { archived: boolean; actions: TSessionManageActions }) {
  return (
    <DangerZone title="Manage this session" titleId="session-manage-heading">
      <DangerAction
        title={archived ? "Archived" : "Archive"}
        description={archived ? "This session is archived: its log stays readable, and it accepts no new messages." : "Keep the log readable but accept no new messages. This cannot be undone."}
      >
        {archived ? null : (
          <ConfirmActionForm
            action={actions.archive}
            fields={{}}
            label="Archive session"
            question="Archive this session for good?"
            confirmLabel="Yes, archive it"
            pendingLabel="Archiving…"
          />
        )}
      </DangerAction>
      <DangerAction title="Delete" description="Delete the session and its whole log, for everyone: teammates watching it and share links stop at once. This cannot be undone.">
        <ConfirmActionForm
          action={actions.delete}
          fields={{}}
          label="Delete session"
          question="Delete this session and its log?"
          confirmLabel="Yes, delete it"
          pendingLabel="Deleting…"
        />
      </DangerAction>
    </DangerZone>
  );
}
