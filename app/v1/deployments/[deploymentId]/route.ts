import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.deployments.get({ teamId: ctx.teamId, deploymentId: ctx.params.deploymentId! }));
export const POST = apiRoute(async (ctx) => ctx.useCases.deployments.update({ teamId: ctx.teamId, deploymentId: ctx.params.deploymentId!, body: await ctx.body() }));
