import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.skills.getVersion({ teamId: ctx.teamId, skillId: ctx.params.skillId!, version: ctx.params.version! }));
export const DELETE = apiRoute((ctx) => ctx.useCases.skills.deleteVersion({ teamId: ctx.teamId, skillId: ctx.params.skillId!, version: ctx.params.version! }));
