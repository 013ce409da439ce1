import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx) => ctx.useCases.skills.create({ teamId: ctx.teamId, contentType: ctx.request.headers.get("content-type"), body: ctx.request.body }));
export const GET = apiRoute((ctx) => ctx.useCases.skills.list({ teamId: ctx.teamId, query: ctx.url.searchParams }));
