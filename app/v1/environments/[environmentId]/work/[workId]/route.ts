import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.environmentWork.get({ teamId: ctx.teamId, environmentId: ctx.params.environmentId!, workId: ctx.params.workId! }));
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.environmentWork.update({ teamId: ctx.teamId, environmentId: ctx.params.environmentId!, workId: ctx.params.workId!, body: await ctx.body() }),
);
