import { workerIdFrom } from "@/lib/environments/work/find-work";
import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Also with the item's own token (the SDK's worker heartbeats with the token from the item's secret). */
export const POST = apiRoute(
  (ctx) =>
    ctx.useCases.environmentWork.heartbeat({
      caller: { teamId: ctx.teamId, workerId: workerIdFrom(ctx.request.headers), work: ctx.work },
      environmentId: ctx.params.environmentId!,
      workId: ctx.params.workId!,
      query: ctx.url.searchParams,
    }),
  { workToken: "work", environmentKey: true },
);
