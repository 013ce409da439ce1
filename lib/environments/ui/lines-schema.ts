import { z } from "zod";
import { linesOf } from "@/lib/resource/lines";

/**
 * A textarea of one item per line, checked by a list schema of the API (hosts, packages): the
 * value is the list of non-blank lines, and a refused item is named by its line, e.g.
 * `Line 3 (“exa mple.com”): not a host name`.
 */
export function linesSchema(listSchema: z.ZodType<unknown, string[] | null | undefined>) {
  return z.string().transform((text, ctx) => {
    const lines = linesOf(text);
    const values = lines.map((entry) => entry.value);
    const parsed = listSchema.safeParse(values);
    if (parsed.success) return values;
    for (const issue of parsed.error.issues) {
      const index = issue.path[0];
      const entry = typeof index === "number" ? lines[index] : undefined;
      ctx.addIssue({ code: "custom", message: entry ? `Line ${entry.line} (“${entry.value.slice(0, 80)}”): ${issue.message}` : issue.message });
    }
    return z.NEVER;
  });
}
