import { workerIdFrom } from "@/lib/environments/work/find-work";
import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Also with the item's own token; the body (`{force?}`) may be empty. */
export const POST = apiRoute(
  async (ctx) =>
    ctx.useCases.environmentWork.stop({
      caller: { teamId: ctx.teamId, workerId: workerIdFrom(ctx.request.headers), work: ctx.work },
      environmentId: ctx.params.environmentId!,
      workId: ctx.params.workId!,
      body: ctx.request.headers.get("content-length") === "0" ? {} : await ctx.body().catch(emptyAsNothing),
    }),
  { workToken: "work", environmentKey: true },
);

/** An empty body is no options; a malformed one is still a 400. */
function emptyAsNothing(error: unknown): Record<string, unknown> {
  if (error instanceof Error && error.message.startsWith("The request body is empty")) return {};
  throw error;
}
