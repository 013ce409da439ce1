import { apiRoute } from "@/lib/api/api-route";
import { archiveEnvironment } from "@/lib/environments/archive-environment";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => archiveEnvironment(ctx.runtime.db.prisma, { teamId: ctx.teamId, environmentId: ctx.params.environmentId! }));
