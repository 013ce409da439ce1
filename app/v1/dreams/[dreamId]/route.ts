import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.dreams.get({ teamId: ctx.teamId, dreamId: ctx.params.dreamId! }));
