import { apiRoute } from "@/lib/api/api-route";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { getEnvironment } from "@/lib/environments/get-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => getEnvironment(ctx.runtime.db.prisma, { teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
export const POST = apiRoute(async (ctx) =>
  updateEnvironment(ctx.runtime.db.prisma, { teamId: ctx.teamId, environmentId: ctx.params.environmentId!, body: await ctx.body() }),
);
export const DELETE = apiRoute((ctx) => deleteEnvironment(ctx.runtime.db.prisma, { teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
