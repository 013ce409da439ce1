import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(
  (ctx) => ctx.useCases.environmentWork.list({ teamId: ctx.teamId, environmentId: ctx.params.environmentId!, query: ctx.url.searchParams }),
  { environmentKey: true },
);
