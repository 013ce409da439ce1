import { AppError } from "@/lib/errors";

/**
 * A skill's folder as it is uploaded (reference §2.10): `files[]` parts whose filenames are paths
 * inside one top-level folder (`my-skill/SKILL.md`, `my-skill/scripts/run.sh`), one of them that
 * folder's `SKILL.md`, whose front matter gives the skill's `name` and `description`. Pure: what the
 * upload route, the unit tests and nothing else need.
 */
export const SKILL_NAME_MAX = 64;
export const SKILL_DESCRIPTION_MAX = 1024;
export const SKILL_PATH_MAX = 255;
export const SKILL_FILES_MAX = 200;

export type TSkillFile = { path: string; content: Buffer };
export type TSkillFolder = { name: string; description: string; files: TSkillFile[]; sizeBytes: number };

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Checks one part's filename and splits it into the top-level folder and the path inside it. Refused
 * with a 400 naming `files[i]`: no name, NUL or other control characters, backslashes, an absolute
 * path, `.`/`..` or empty components, a file outside a folder, an over-long path.
 */
export function skillPath(filename: string | undefined, index: number): { folder: string; path: string } {
  const field = `files[${index}]`;
  if (!filename) throw new AppError("invalid_request", `${field}: the part has no filename; send each file with its path in the skill's folder as the filename`);
  if (Buffer.byteLength(filename) > SKILL_PATH_MAX) throw new AppError("invalid_request", `${field}: path longer than ${SKILL_PATH_MAX} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(filename)) throw new AppError("invalid_request", `${field}: the path contains a NUL or control character`);
  if (filename.includes("\\")) throw new AppError("invalid_request", `${field}: use / to separate the path's components, not \\`);
  if (filename.startsWith("/") || /^[A-Za-z]:/.test(filename)) throw new AppError("invalid_request", `${field}: ${JSON.stringify(filename)} is absolute; paths are relative to the skill's folder`);
  const parts = filename.split("/");
  if (parts.some((p) => p === "..")) throw new AppError("invalid_request", `${field}: ${JSON.stringify(filename)} contains "..": paths stay inside the skill's folder`);
  if (parts.some((p) => p === "" || p === ".")) throw new AppError("invalid_request", `${field}: ${JSON.stringify(filename)} has an empty or "." component`);
  if (parts.length < 2) throw new AppError("invalid_request", `${field}: ${JSON.stringify(filename)} is not inside a folder; name files <folder>/SKILL.md, <folder>/…`);
  if (!ustarSplit(filename)) throw new AppError("invalid_request", `${field}: ${JSON.stringify(filename)} cannot be archived (tar): keep each name under 100 bytes and the folders before it under 155`);
  return { folder: parts[0]!, path: parts.slice(1).join("/") };
}

/**
 * Where a path splits into a ustar header's `prefix` (at most 155 bytes) and `name` (at most 100),
 * or null when it cannot: a skill version is downloaded as a tar archive (skill-tar.ts).
 */
export function ustarSplit(path: string): { prefix: string; name: string } | null {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  return null;
}

/** The `name` and `description` of SKILL.md's YAML front matter (`---` lines around `key: value` lines). */
export function parseSkillMd(text: string): { name: string; description: string } {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  if (!match) throw new AppError("invalid_request", "files: SKILL.md must begin with a front matter block (--- name: …, description: … ---)");
  const fields = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2]!.trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) value = value.slice(1, -1);
    fields.set(kv[1]!, value);
  }
  const name = fields.get("name") ?? "";
  const description = fields.get("description") ?? "";
  if (!name) throw new AppError("invalid_request", "name: SKILL.md's front matter has no `name`");
  if (name.length > SKILL_NAME_MAX) throw new AppError("invalid_request", `name: longer than ${SKILL_NAME_MAX} characters`);
  if (!NAME.test(name)) throw new AppError("invalid_request", `name: ${JSON.stringify(name)} must be lowercase letters, digits and single hyphens (e.g. pdf-report)`);
  if (!description) throw new AppError("invalid_request", "description: SKILL.md's front matter has no `description`");
  if (description.length > SKILL_DESCRIPTION_MAX) throw new AppError("invalid_request", `description: longer than ${SKILL_DESCRIPTION_MAX} characters`);
  return { name, description };
}

/** The uploaded parts as one skill folder: one top-level folder, no path twice, a UTF-8 SKILL.md at its top. */
export function skillFolderOf(parts: readonly { filename: string | undefined; content: Buffer }[]): TSkillFolder {
  if (parts.length === 0) throw new AppError("invalid_request", "files: no files; send the skill's folder as `files[]` parts, one of them <folder>/SKILL.md");
  const files: TSkillFile[] = [];
  const seen = new Set<string>();
  let folder: string | null = null;
  parts.forEach((part, index) => {
    const at = skillPath(part.filename, index);
    if (folder !== null && at.folder !== folder) throw new AppError("invalid_request", `files[${index}]: every file must be in the same top-level folder (${JSON.stringify(folder)})`);
    folder = at.folder;
    if (seen.has(at.path)) throw new AppError("invalid_request", `files[${index}]: ${JSON.stringify(part.filename)} given twice`);
    seen.add(at.path);
    files.push({ path: at.path, content: part.content });
  });
  const skillMd = files.find((f) => f.path === "SKILL.md");
  if (!skillMd) throw new AppError("invalid_request", `files: no SKILL.md at the top of the folder (expected ${JSON.stringify(`${folder}/SKILL.md`)})`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(skillMd.content);
  } catch {
    throw new AppError("invalid_request", "files: SKILL.md is not UTF-8 text");
  }
  const { name, description } = parseSkillMd(text);
  return { name, description, files, sizeBytes: files.reduce((n, f) => n + f.content.length, 0) };
}
