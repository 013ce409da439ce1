import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => ctx.useCases.files.get({ teamId: ctx.teamId, fileId: ctx.params.fileId! }));
export const DELETE = apiRoute((ctx) => ctx.useCases.files.delete({ teamId: ctx.teamId, fileId: ctx.params.fileId! }));
