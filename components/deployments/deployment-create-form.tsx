"use client";

import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, valueOf, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { SelectField } from "@/components/ui/select-field";
import { FieldFrame, INPUT_CLASSES, TextField } from "@/components/ui/text-field";

export type TOption = { value: string; label: string };

/** A new deployment: its name, agent, environment, the first message each run sends, an optional cron schedule. */
export function DeploymentCreateForm({ action, agents, environments, cancelHref }: { action: TFormAction<null>; agents: TOption[]; environments: TOption[]; cancelHref: string }) {
  const form = useFormAction(action);
  const { state } = form;
  return (
    <FormFrame form={form} label="New deployment" cancelHref={cancelHref} submitLabel="Create deployment" pendingLabel="Creating…">
      <TextField id="deployment-name" name="name" label="Name" required maxLength={256} autoComplete="off" defaultValue={valueOf(state, "name")} error={fieldError(state, "name")} />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          id="deployment-agent"
          name="agent"
          label="Agent"
          options={agents}
          defaultValue={valueOf(state, "agent") ?? agents[0]?.value}
          error={fieldError(state, "agent")}
          hint="Pinned at its latest version now."
        />
        <SelectField
          id="deployment-environment"
          name="environment"
          label="Environment"
          options={environments}
          defaultValue={valueOf(state, "environment") ?? environments[0]?.value}
          error={fieldError(state, "environment")}
        />
      </div>
      <FieldFrame id="deployment-message" label="First message" hint="Each run starts a new session with this message." error={fieldError(state, "message")}>
        {(describedBy) => (
          <textarea
            id="deployment-message"
            name="message"
            rows={4}
            required
            defaultValue={valueOf(state, "message")}
            aria-invalid={fieldError(state, "message") ? true : undefined}
            aria-describedby={describedBy}
            className={`${INPUT_CLASSES} resize-y`}
          />
        )}
      </FieldFrame>
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          id="deployment-schedule"
          name="schedule"
          label="Schedule (optional)"
          autoComplete="off"
          placeholder="0 9 * * 1-5"
          hint="A cron expression (minute hour day month weekday); empty: runs on demand only."
          defaultValue={valueOf(state, "schedule")}
          error={fieldError(state, "schedule")}
        />
        <TextField
          id="deployment-timezone"
          name="timezone"
          label="Timezone"
          autoComplete="off"
          placeholder="UTC"
          hint="An IANA timezone, e.g. Europe/Paris; UTC when empty."
          defaultValue={valueOf(state, "timezone")}
          error={fieldError(state, "timezone")}
        />
      </div>
    </FormFrame>
  );
}
