import type { z } from "zod";
import { AppError, formatIssuePath } from "@/lib/errors";

/** Parses with a zod schema; the error names the first bad field (`events[0].content: …`). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, root = ""): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = formatIssuePath(issue.path, root) || "body";
  const message = issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
  throw new AppError("invalid_request", `${where}: ${message}`, { path: where });
}
