"use client";

import { useState } from "react";
import { FormFrame } from "@/components/forms/form-frame";
import { fieldError, type TFormAction } from "@/components/forms/form-state";
import { useFormAction } from "@/components/forms/use-form-action";
import { FieldFrame, INPUT_CLASSES, TextField } from "@/components/ui/text-field";

/** The browser's folder picker (not yet in React's types): every file of the folder, with its path in `webkitRelativePath`. */
const FOLDER_PICKER = { webkitdirectory: "", directory: "" } as Record<string, string>;

/**
 * A skill's folder, picked in the browser: its files go with their paths in the folder
 * (`my-skill/SKILL.md`, `my-skill/scripts/run.sh`), as the API takes them. A new skill may be given
 * a display name; a new version (`newVersion`) is just the folder.
 */
export function SkillUploadForm({ action, newVersion = false, cancelHref }: { action: TFormAction<null>; newVersion?: boolean; cancelHref?: string }) {
  const form = useFormAction(action);
  const { state } = form;
  const [paths, setPaths] = useState<string[]>([]);
  const [displayName, setDisplayName] = useState("");
  const id = newVersion ? "version-folder" : "skill-folder";
  return (
    <FormFrame
      form={form}
      label={newVersion ? "New version" : "Upload a skill"}
      cancelHref={cancelHref}
      saved={newVersion ? "New version uploaded; it is now the latest." : undefined}
      submitLabel={newVersion ? "Upload version" : "Upload skill"}
      pendingLabel="Uploading…"
    >
      <FieldFrame
        id={id}
        label="Folder"
        hint={paths.length ? `${paths.length} ${paths.length === 1 ? "file" : "files"} from ${paths[0]!.split("/")[0]}/` : "A folder with a SKILL.md at its top, whose front matter gives the name and description."}
        error={fieldError(state, "files")}
      >
        {(describedBy) => (
          <input
            id={id}
            name="files"
            type="file"
            multiple
            {...FOLDER_PICKER}
            aria-invalid={fieldError(state, "files") ? true : undefined}
            aria-describedby={describedBy}
            className={INPUT_CLASSES}
            onChange={(event) => setPaths(Array.from(event.currentTarget.files ?? [], (file) => file.webkitRelativePath || file.name))}
          />
        )}
      </FieldFrame>
      <input type="hidden" name="paths" value={JSON.stringify(paths)} />
      {newVersion ? null : (
        <TextField
          id="skill-display-name"
          name="display_name"
          label="Display name (optional)"
          maxLength={255}
          autoComplete="off"
          hint="Shown in lists; the skill's name from SKILL.md when left empty."
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
          error={fieldError(state, "display_name")}
        />
      )}
    </FormFrame>
  );
}
