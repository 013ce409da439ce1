"use client";

import { ShowOnceForm } from "@/components/forms/show-once-form";
import { TextField } from "@/components/ui/text-field";
import { fieldError, valueOf, type TFormAction } from "@/components/forms/form-state";

export type TCreatedKey = { name: string; key: string };

/**
 * Names and creates a key, then shows it once. `environment`: an environment key, whose use is
 * told as its workers take it (ANTHROPIC_API_KEY), not as an API request header.
 */
export function ApiKeyCreateForm({ action, environment = false }: { action: TFormAction<TCreatedKey>; environment?: boolean }) {
  return (
    <ShowOnceForm
      action={action}
      submitLabel="Create key"
      pendingLabel="Creating key…"
      field={(state) => (
        <TextField
          id="api-key-name"
          name="name"
          label="Key name"
          required
          maxLength={100}
          autoComplete="off"
          hint={environment ? "Where the workers that use it run, e.g. “build server”." : "What the key is for, e.g. “CI” or “laptop”."}
          defaultValue={valueOf(state, "name")}
          error={fieldError(state, "name")}
        />
      )}
      shown={(data) => ({
        title: `Key “${data.name}” created`,
        text: (
          <>
            Copy it now and keep it somewhere safe: it will not be shown again.{" "}
            {environment ? (
              <>
                Give it to the environment&apos;s workers as <span className="font-mono">ANTHROPIC_API_KEY</span>.
              </>
            ) : (
              <>
                Send it as the <span className="font-mono">x-api-key</span> header.
              </>
            )}
          </>
        ),
        copyLabel: environment ? "Environment key" : "API key",
        value: data.key,
      })}
    />
  );
}
