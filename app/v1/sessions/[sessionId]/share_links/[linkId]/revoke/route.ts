import { apiRoute } from "@/lib/api/api-route";
import { revokeShareLink } from "@/lib/share/revoke-share-link";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Revokes a replay link: the page and live viewers through it stop at once. */
export const POST = apiRoute((ctx) =>
  revokeShareLink({ prisma: ctx.runtime.db.prisma }, { teamId: ctx.teamId, sessionId: ctx.params.sessionId!, linkId: ctx.params.linkId! }),
);
