import { AppError } from "@/lib/errors";
import { extensionFor } from "./sniff-mime-type";

/**
 * The checks on an upload's inputs, each a 400 naming the field: the `file` part's filename (of
 * which only the last path component is kept) and `expires_in_seconds`.
 */
export const MAX_FILENAME_BYTES = 255;
export const MIN_EXPIRES_IN_SECONDS = 3600;
export const MAX_EXPIRES_IN_SECONDS = 7_776_000;

/**
 * The name a file is stored with: the last component of the part's filename (after `/` or `\`).
 * Refused: a name with a `..` component anywhere in the path (a traversal attempt is a mistake
 * worth reporting, not something to clean up silently), NUL or other control characters, a name
 * over 255 bytes of UTF-8, a name that is only `.`. Absent or empty: null (named after the type
 * once it is known, `unnamedFilename`).
 */
export function uploadFilename(raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new AppError("invalid_request", "file: the filename must not contain NUL or other control characters");
  const parts = raw.split(/[/\\]/);
  if (parts.includes("..")) throw new AppError("invalid_request", 'file: the filename must not contain a ".." path component');
  const name = parts.at(-1)!;
  if (name === "" || name === ".") throw new AppError("invalid_request", "file: the filename must name a file, not a directory");
  if (Buffer.byteLength(name, "utf8") > MAX_FILENAME_BYTES) throw new AppError("invalid_request", `file: the filename must be at most ${MAX_FILENAME_BYTES} bytes`);
  return name;
}

/** `unnamed` plus the extension of the stored type, when one is known (`unnamed.png`). */
export function unnamedFilename(mimeType: string): string {
  const extension = extensionFor(mimeType);
  return extension ? `unnamed.${extension}` : "unnamed";
}

/** `expires_in_seconds` from its form field: absent is null (never expires); otherwise an integer within the range. */
export function expiresInSeconds(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < MIN_EXPIRES_IN_SECONDS || value > MAX_EXPIRES_IN_SECONDS) {
    throw new AppError("invalid_request", `expires_in_seconds: must be an integer between ${MIN_EXPIRES_IN_SECONDS} and ${MAX_EXPIRES_IN_SECONDS} (got ${JSON.stringify(raw.slice(0, 40))})`);
  }
  return value;
}
