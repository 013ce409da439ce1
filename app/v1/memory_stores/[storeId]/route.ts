import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.memoryStores.get({ teamId: ctx.teamId, storeId: ctx.params.storeId! }));
export const POST = apiRoute(async (ctx) => ctx.useCases.memoryStores.update({ teamId: ctx.teamId, storeId: ctx.params.storeId!, body: await ctx.body() }));
export const DELETE = apiRoute((ctx) => ctx.useCases.memoryStores.delete({ teamId: ctx.teamId, storeId: ctx.params.storeId! }));
