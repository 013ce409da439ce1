import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A self-hosted worker's session token may read the skills of its session. */
export const GET = apiRoute(
  (ctx) => ctx.useCases.skills.getVersion({ teamId: ctx.teamId, skillId: ctx.params.skillId!, version: ctx.params.version!, sessionId: ctx.work?.sessionId }),
  { workToken: "skill" },
);
export const DELETE = apiRoute((ctx) => ctx.useCases.skills.deleteVersion({ teamId: ctx.teamId, skillId: ctx.params.skillId!, version: ctx.params.version! }));
