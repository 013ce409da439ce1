import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.environments.get({ teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
export const POST = apiRoute(async (ctx) =>
  ctx.useCases.environments.update({ teamId: ctx.teamId, environmentId: ctx.params.environmentId!, body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => ctx.useCases.environments.delete({ teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
