/**
 * `Content-Disposition` for a download saved under `filename`: an ASCII `filename` for clients that
 * read only that (other characters, quotes and backslashes as `_`) and the exact name as UTF-8
 * (`filename*`, RFC 6266 / 5987).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
