import { apiRoute } from "@/lib/api/api-route";
import { createShareLink } from "@/lib/share/create-share-link";
import { listShareLinks } from "@/lib/share/list-share-links";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Creates a replay link; the response holds its token and path, shown this once. */
export const POST = apiRoute((ctx) =>
  createShareLink({ prisma: ctx.runtime.db.prisma }, { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, createdBy: ctx.apiKeyId }),
);

export const GET = apiRoute(async (ctx) => ({
  data: await listShareLinks({ prisma: ctx.runtime.db.prisma }, { teamId: ctx.teamId, sessionId: ctx.params.sessionId! }),
}));
