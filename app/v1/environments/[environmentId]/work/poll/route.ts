import { workerIdFrom } from "@/lib/environments/work/find-work";
import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) =>
  ctx.useCases.environmentWork.poll({
    teamId: ctx.teamId,
    environmentId: ctx.params.environmentId!,
    query: ctx.url.searchParams,
    workerId: workerIdFrom(ctx.request.headers),
    abort: ctx.request.signal,
  }),
  { environmentKey: true },
);
