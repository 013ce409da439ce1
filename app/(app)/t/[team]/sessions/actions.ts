"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import type { TRenameResult } from "@/components/sessions/session-title-editor";
import { refused } from "../../../form-results";

const ZRenameSchema = z.strictObject({
  sessionId: z.string().refine((id) => isId("session", id), { error: "This session no longer exists." }),
  title: z
    .string({ error: "Write a title, or leave it empty to use the first message." })
    .max(1000, { error: "Use at most 1,000 characters." })
    .refine((title) => !/[\u0000-\u001f\u007f]/.test(title), { error: "Use one line, without control characters." })
    .transform((title) => title.trim()),
});

/**
 * Renames a session from the sessions list, through the same use-case as `POST /v1/sessions/{id}`
 * (the change and its `session.updated` event commit together). An empty title clears it: the
 * list then shows the session's first message again.
 */
export async function renameSessionAction(teamSlug: string, input: unknown): Promise<TRenameResult> {
  const { team } = await requireMembership(useCases(), String(teamSlug));
  const parsed = ZRenameSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  const { sessionId, title } = parsed.data;
  try {
    const session = await useCases().sessions.update({ teamId: team.id, sessionId, body: { title: title || null } });
    revalidatePath(teamPath(team.slug, "sessions"));
    return { ok: true, title: session.title };
  } catch (error) {
    const state = refused(error);
    return { ok: false, message: (state.status === "error" && state.message) || "Something went wrong. Please try again." };
  }
}
