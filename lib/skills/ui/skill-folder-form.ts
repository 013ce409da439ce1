import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * The skill upload form's model: the folder the browser's picker (`webkitdirectory`) sent, as the
 * multipart request `POST /v1/skills` takes (each file as a `files[]` part named by its path in the
 * folder), and the form field an API refusal belongs to. Pure: no I/O; the folder itself is checked
 * by the API's own use-case (skill-folder.ts), not a second set of rules.
 *
 * The paths travel beside the files (`paths`, a JSON list in the files' order), since a server
 * action's multipart parser keeps only a file's base name.
 */
const ZFolderSchema = z.object({
  paths: z.array(z.string().min(1, { error: "A file has no path; pick the skill's folder." }), { error: "Choose the skill's folder (it holds SKILL.md)." }).min(1, { error: "Choose the skill's folder (it holds SKILL.md)." }),
  display_name: z.string().max(255, { error: "At most 255 characters." }),
});

export type TSkillUpload = { contentType: string | null; body: ReadableStream<Uint8Array> | null };
export type TSkillFolderRefusal = { field: "files" | "display_name"; message: string };

function parsedPaths(raw: FormDataEntryValue | null): unknown {
  try {
    return JSON.parse(typeof raw === "string" ? raw : "[]");
  } catch {
    return null;
  }
}

/** The submitted form as the upload use-cases' input, or the field that stops it (no folder, paths and files not matching). */
export function skillUploadOf(formData: FormData, options: { displayName: boolean }): TSkillUpload | TSkillFolderRefusal {
  const files = formData.getAll("files").filter((f): f is File => typeof f !== "string" && !(f.name === "" && f.size === 0));
  const parsed = ZFolderSchema.safeParse({ paths: parsedPaths(formData.get("paths")), display_name: String(formData.get("display_name") ?? "") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { field: issue.path[0] === "display_name" ? "display_name" : "files", message: issue.message };
  }
  const { paths, display_name } = parsed.data;
  if (paths.length !== files.length) return { field: "files", message: "The folder's files did not all arrive; pick the folder again." };
  const multipart = new FormData();
  files.forEach((file, i) => multipart.append("files[]", file, paths[i]));
  if (options.displayName && display_name.trim()) multipart.append("display_name", display_name.trim());
  const request = new Request("http://skill.upload/", { method: "POST", body: multipart });
  return { contentType: request.headers.get("content-type"), body: request.body };
}

/**
 * An API refusal of an upload as the form shows it: `display_name: …` by the display name, every
 * other one of the folder (`files: …`, `files[2]: …`, `name: …` of SKILL.md, a name taken, too
 * large) by the folder picker; null for an error that is not a refusal.
 */
export function skillUploadRefusal(error: unknown): TSkillFolderRefusal | null {
  if (!(error instanceof AppError) || !["invalid_request", "conflict", "payload_too_large"].includes(error.code)) return null;
  if (error.message.startsWith("display_name: ")) return { field: "display_name", message: error.message.slice("display_name: ".length) };
  return { field: "files", message: error.message.replace(/^files: /, "") };
}
