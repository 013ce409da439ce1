"use client";

import { TextAreaField } from "@/components/agents/fields";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, valueOf, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

/** The memory store page's "Dream" form: the model, optional instructions, and where the result goes. */
export function DreamForm({ action, defaultModel }: { action: TFormAction<null>; defaultModel: string }) {
  const form = useFormAction(action);
  const { state } = form;
  return (
    <FormFrame form={form} label="Dream" submitLabel="Dream" pendingLabel="Starting…" saved="Dream started: it shows in the list above.">
      <TextField
        id="dream-model"
        name="model"
        label="Model"
        required
        maxLength={256}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        defaultValue={valueOf(state, "model") ?? defaultModel}
        error={fieldError(state, "model")}
      />
      <TextAreaField
        id="dream-instructions"
        name="instructions"
        label="Instructions (optional)"
        rows={3}
        maxLength={4096}
        hint="How to organise the store, e.g. one file per project."
        defaultValue={valueOf(state, "instructions") ?? ""}
        error={fieldError(state, "instructions")}
      />
      <SelectField
        id="dream-output"
        name="output"
        label="Write the result to"
        defaultValue={valueOf(state, "output") ?? "create_new"}
        options={[
          { value: "create_new", label: "A new memory store (this one stays as it is)" },
          { value: "update_existing", label: "This memory store" },
        ]}
        error={fieldError(state, "output")}
      />
    </FormFrame>
  );
}
