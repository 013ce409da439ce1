import { apiRoute } from "@/lib/api/api-route";
import { createEnvironment } from "@/lib/environments/create-environment";
import { listEnvironments } from "@/lib/environments/list-environments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx) => createEnvironment(ctx.runtime.db.prisma, { teamId: ctx.teamId, body: await ctx.body() }));
export const GET = apiRoute((ctx) => listEnvironments(ctx.runtime.db.prisma, { teamId: ctx.teamId, query: ctx.url.searchParams }));
