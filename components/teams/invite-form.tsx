"use client";

import { ShowOnceForm } from "@/components/forms/show-once-form";
import { SelectField } from "@/components/ui/select-field";
import { fieldError, valueOf, type TFormAction } from "@/components/forms/form-state";

export type TInvitationLink = { path: string; role: string; expiresAt: string };

const ROLES = [
  { value: "member", label: "Member — uses the team's agents, sessions and API keys" },
  { value: "owner", label: "Owner — also manages members and invitations" },
];

/** Makes an invitation link and shows it once (only a hash of it is kept). */
export function InviteForm({ action }: { action: TFormAction<TInvitationLink> }) {
  return (
    <ShowOnceForm
      action={action}
      submitLabel="Create invitation link"
      pendingLabel="Creating link…"
      field={(state) => (
        <SelectField id="invite-role" name="role" label="Role" options={ROLES} defaultValue={valueOf(state, "role") ?? "member"} error={fieldError(state, "role")} />
      )}
      shown={(data) => ({
        title: "Invitation link created",
        text: (
          <>
            Send it to the person you are inviting. It works once, for one person, until {new Date(data.expiresAt).toUTCString().slice(0, 16)}. Copy it now:
            it will not be shown again.
          </>
        ),
        copyLabel: `Invitation link (${data.role})`,
        value: `${window.location.origin}${data.path}`,
      })}
    />
  );
}
