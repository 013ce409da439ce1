import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.skills.get({ teamId: ctx.teamId, skillId: ctx.params.skillId! }));
export const DELETE = apiRoute((ctx) => ctx.useCases.skills.delete({ teamId: ctx.teamId, skillId: ctx.params.skillId! }));
