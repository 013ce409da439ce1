import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Revokes a replay link: the page and live viewers through it stop at once. */
export const POST = apiRoute((ctx) =>
  ctx.useCases.shareLinks.revoke({ teamId: ctx.teamId, sessionId: ctx.params.sessionId!, linkId: ctx.params.linkId! }),
);
