import { workerIdFrom } from "@/lib/environments/work/find-work";
import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) =>
  ctx.useCases.environmentWork.ack({
    caller: { teamId: ctx.teamId, workerId: workerIdFrom(ctx.request.headers), work: ctx.work },
    environmentId: ctx.params.environmentId!,
    workId: ctx.params.workId!,
  }),
  { environmentKey: true },
);
