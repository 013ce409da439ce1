"use client";

import { useState } from "react";
import { TextAreaField } from "@/components/agents/fields";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { TextField } from "@/components/ui/text-field";

/**
 * A memory's path and content. Creating: both empty. Editing: the current ones, and the hash of the
 * content being edited goes along as the precondition, so an edit made over someone else's newer
 * write is refused (and says so) instead of overwriting it.
 */
export function MemoryForm({
  action,
  initial,
  submitLabel,
  label,
}: {
  action: TFormAction<null>;
  initial?: { path: string; content: string; sha256: string };
  submitLabel: string;
  label: string;
}) {
  const form = useFormAction(action);
  const { state } = form;
  const [path, setPath] = useState(initial?.path ?? "");
  const [content, setContent] = useState(initial?.content ?? "");
  return (
    <FormFrame form={form} label={label} submitLabel={submitLabel} pendingLabel="Saving…" saved={initial ? "Saved as a new version." : undefined}>
      {initial ? <input type="hidden" name="content_sha256" value={initial.sha256} /> : null}
      <TextField
        id="memory-path"
        name="path"
        label="Path"
        required
        maxLength={1024}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        hint="Starts with /, folders separated by /, e.g. /projects/launch/notes.md."
        value={path}
        onChange={(event) => setPath(event.currentTarget.value)}
        error={fieldError(state, "path")}
      />
      <TextAreaField
        id="memory-content"
        name="content"
        label="Content"
        rows={8}
        spellCheck={false}
        className="font-mono"
        hint="Plain text, at most 100 kB."
        value={content}
        onChange={(event) => setContent(event.currentTarget.value)}
        error={fieldError(state, "content")}
      />
    </FormFrame>
  );
}
