"use client";

import { useActionState, useState } from "react";
import { slugify } from "@/lib/teams/team-slug";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormAction, type TFormState } from "@/components/forms/form-state";
import { useFormFeedback } from "@/components/forms/use-form-feedback";

/** Name and slug of a new team; the slug follows the name until it is edited. On success the action opens the team. */
export function CreateTeamForm({ action }: { action: TFormAction<null> }) {
  const [submitted, formAction, pending] = useActionState<TFormState<null>, FormData>(action, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState<string | null>(null);
  const shownSlug = slug ?? (valueOf(state, "slug") || slugify(name));
  const message = formMessage(state);

  return (
    <form ref={formRef} onChange={onEdit} action={formAction} noValidate className="flex flex-col gap-5">
      <div data-form-message className="empty:hidden">{message ? <Alert tone="error">{message}</Alert> : null}</div>
      <TextField
        name="name"
        label="Team name"
        required
        maxLength={60}
        autoComplete="off"
        defaultValue={valueOf(state, "name")}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(state, "name")}
      />
      <TextField
        name="slug"
        label="Team URL"
        required
        maxLength={40}
        autoComplete="off"
        spellCheck={false}
        value={shownSlug}
        onChange={(event) => setSlug(event.currentTarget.value)}
        hint={
          <>
            Lowercase letters, digits and dashes. The team&apos;s pages live at <span className="font-mono">/t/{shownSlug || "your-team"}</span>.
          </>
        }
        error={fieldError(state, "slug")}
      />
      <div className="flex justify-end">
        <Button type="submit" pending={pending} pendingLabel="Creating…">
          Create team
        </Button>
      </div>
    </form>
  );
}
