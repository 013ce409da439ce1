import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => ctx.useCases.memoryStores.archive({ teamId: ctx.teamId, storeId: ctx.params.storeId! }));
