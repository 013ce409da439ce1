import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) =>
  ctx.useCases.skills.createVersion({ teamId: ctx.teamId, skillId: ctx.params.skillId!, contentType: ctx.request.headers.get("content-type"), body: ctx.request.body }),
);
export const GET = apiRoute((ctx) => ctx.useCases.skills.listVersions({ teamId: ctx.teamId, skillId: ctx.params.skillId!, query: ctx.url.searchParams }));
