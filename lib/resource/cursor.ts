import { AppError } from "@/lib/errors";

/**
 * Opaque page cursors: base64url of a small JSON object (a position such as the last id or seq and
 * the direction). Clients must treat them as opaque; a cursor that does not decode is a 400.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

export function decodeCursor(page: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(page, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AppError("invalid_request", "page: not a cursor returned by this API");
}
