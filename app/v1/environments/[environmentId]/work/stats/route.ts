import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.environmentWork.stats({ teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
