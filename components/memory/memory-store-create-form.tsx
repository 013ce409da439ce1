"use client";

import { useState } from "react";
import { TextAreaField } from "@/components/agents/fields";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { TextField } from "@/components/ui/text-field";

/** A new memory store: its name and an optional description. Memories are added on its page. */
export function MemoryStoreCreateForm({ action, cancelHref }: { action: TFormAction<null>; cancelHref: string }) {
  const form = useFormAction(action);
  const { state } = form;
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  return (
    <FormFrame form={form} label="New memory store" cancelHref={cancelHref} submitLabel="Create store" pendingLabel="Creating…">
      <TextField
        id="store-name"
        name="name"
        label="Name"
        required
        maxLength={255}
        autoComplete="off"
        hint="What the agents keep here, e.g. “Project notes” or “Customer preferences”."
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(state, "name")}
      />
      <TextAreaField
        id="store-description"
        name="description"
        label="Description (optional)"
        maxLength={1024}
        value={description}
        onChange={(event) => setDescription(event.currentTarget.value)}
        error={fieldError(state, "description")}
      />
    </FormFrame>
  );
}
