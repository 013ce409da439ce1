import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => ctx.useCases.dreams.archive({ teamId: ctx.teamId, dreamId: ctx.params.dreamId! }));
