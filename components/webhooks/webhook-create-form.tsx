"use client";

import { ShowOnceForm } from "@/components/forms/show-once-form";
import { fieldError, valueOf, type TFormAction } from "@/components/forms/form-state";
import { TextField } from "@/components/ui/text-field";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

export type TCreatedWebhook = { url: string; secret: string };

const ID = "webhook-event-types";
/** Ticked on a new form: a session's run, start to end. */
const DEFAULT_TYPES = ["session.status_run_started", "session.status_idled", "session.status_terminated"];

/** Registers an endpoint (URL and event types), then shows its signing secret once. */
export function WebhookCreateForm({ action }: { action: TFormAction<TCreatedWebhook> }) {
  return (
    <ShowOnceForm
      action={action}
      submitLabel="Add endpoint"
      pendingLabel="Adding endpoint…"
      field={(state) => {
        const typesError = fieldError(state, "event_types");
        const ticked = valueOf(state, "event_types")?.split(",") ?? DEFAULT_TYPES;
        return (
          <div className="flex flex-col gap-4">
            <TextField
              id="webhook-url"
              name="url"
              type="url"
              label="Endpoint URL"
              required
              maxLength={2048}
              autoComplete="off"
              placeholder="https://example.com/hooks/agents"
              hint="Events are POSTed here as JSON, signed with Standard Webhooks headers."
              defaultValue={valueOf(state, "url")}
              error={fieldError(state, "url")}
            />
            <fieldset id={ID} className="flex min-w-0 flex-col gap-2">
              <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Event types</legend>
              <ul className="grid gap-2 sm:grid-cols-2">
                {WEBHOOK_EVENT_TYPES.map((type) => (
                  <li key={type} className="flex items-center gap-2">
                    <input
                      id={`${ID}-${type}`}
                      name="event_types"
                      value={type}
                      type="checkbox"
                      defaultChecked={ticked.includes(type)}
                      aria-invalid={typesError ? true : undefined}
                      aria-describedby={typesError ? `${ID}-error` : undefined}
                      className="size-4 shrink-0 rounded border-zinc-300 accent-brand-600 dark:border-zinc-700"
                    />
                    <label htmlFor={`${ID}-${type}`} className="font-mono text-xs text-zinc-800 dark:text-zinc-200">
                      {type}
                    </label>
                  </li>
                ))}
              </ul>
              {typesError ? (
                <p id={`${ID}-error`} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
                  <span aria-hidden="true">⚠</span>
                  <span>{typesError}</span>
                </p>
              ) : null}
            </fieldset>
          </div>
        );
      }}
      shown={(data) => ({
        title: `Endpoint ${data.url} added`,
        text: <>Copy its signing secret now: it will not be shown again. Verify each request with it (the SDK&apos;s <span className="font-mono">webhooks.unwrap</span>, or any Standard Webhooks library).</>,
        copyLabel: "Signing secret",
        value: data.secret,
      })}
    />
  );
}
