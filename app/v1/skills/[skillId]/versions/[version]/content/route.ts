import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The version's folder as a tar archive (the SDK's `skills.versions.download`); a self-hosted
 * worker's session token may read the skills of its session.
 */
export const GET = apiRoute(
  (ctx) => ctx.useCases.skills.download({ teamId: ctx.teamId, skillId: ctx.params.skillId!, version: ctx.params.version!, sessionId: ctx.work?.sessionId }),
  { workToken: "skill" },
);
