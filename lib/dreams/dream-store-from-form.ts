import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/resource/parse";
import { createDream } from "./create-dream";
import { DREAM_AGENT_ID } from "./dream-agent";
import type { TDreamDeps } from "./dream-deps";

/** How many past sessions a dream started from the web app reads. */
const FORM_SESSIONS = 20;

const ZDreamForm = z.strictObject({
  model: z.string().trim().min(1, "give a model id").max(256),
  instructions: z.string().trim().max(4096),
  output: z.enum(["create_new", "update_existing"], "choose where the dream writes"),
});

/**
 * The memory store page's "Dream" form: a dream over the store and the team's latest sessions that
 * mounted it (at most FORM_SESSIONS; the dreams' own sessions left out), or, when none did, the
 * team's latest sessions. The form's fields are checked here (`model`, `instructions`, `output`)
 * and the request is the API's own (create-dream.ts), so both refuse alike.
 */
export async function dreamStoreFromForm(deps: TDreamDeps, options: { teamId: string; storeId: string; values: Record<string, string> }) {
  const form = parseWith(ZDreamForm, options.values);
  const mounted = { resources: { array_contains: [{ type: "memory_store", memory_store_id: options.storeId }] } };
  const pick = (extra: object) =>
    deps.prisma.session.findMany({
      where: { teamId: options.teamId, agentId: { not: DREAM_AGENT_ID }, ...extra },
      orderBy: { id: "desc" },
      take: FORM_SESSIONS,
      select: { id: true },
    });
  let sessions = await pick(mounted);
  if (sessions.length === 0) sessions = await pick({});
  if (sessions.length === 0) throw new AppError("invalid_request", "A dream learns from past sessions, and this team has none yet: run a session first.");
  return createDream(deps, {
    teamId: options.teamId,
    body: {
      inputs: [
        { type: "memory_store", memory_store_id: options.storeId },
        { type: "sessions", session_ids: sessions.map((s) => s.id) },
      ],
      model: form.model,
      ...(form.instructions ? { instructions: form.instructions } : {}),
      output_behavior: form.output === "update_existing" ? { type: "update_existing", memory_store_id: options.storeId } : { type: "create_new" },
    },
  });
}
