"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { SelectField } from "@/components/ui/select-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFocusOnError } from "@/components/forms/use-focus-on-error";

export type TInvitationLink = { path: string; role: string; expiresAt: string };

const ROLES = [
  { value: "member", label: "Member — uses the team's agents, sessions and API keys" },
  { value: "owner", label: "Owner — also manages members and invitations" },
];

/** Makes an invitation link and shows it once (only a hash of it is kept). */
export function InviteForm({ action }: { action: TFormAction<TInvitationLink> }) {
  const [state, formAction, pending] = useActionState<TFormState<TInvitationLink>, FormData>(action, IDLE);
  const formRef = useFocusOnError(state);
  const message = formMessage(state);

  return (
    <div className="flex flex-col gap-5">
      <form ref={formRef} action={formAction} noValidate className="flex flex-col gap-4">
        <div data-form-message className="empty:hidden">{message ? <Alert tone="error">{message}</Alert> : null}</div>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          <div className="flex-1">
            <SelectField id="invite-role" name="role" label="Role" options={ROLES} defaultValue={valueOf(state, "role") ?? "member"} error={fieldError(state, "role")} />
          </div>
          <Button type="submit" pending={pending} pendingLabel="Creating link…" className="sm:mt-7">
            Create invitation link
          </Button>
        </div>
      </form>
      {state.status === "success" ? (
        <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <Alert tone="success" title="Invitation link created">
            Send it to the person you are inviting. It works once, for one person, until{" "}
            {new Date(state.data.expiresAt).toUTCString().slice(0, 16)}. Copy it now: it will not be shown again.
          </Alert>
          <CopyField label={`Invitation link (${state.data.role})`} value={`${window.location.origin}${state.data.path}`} />
        </div>
      ) : null}
    </div>
  );
}
