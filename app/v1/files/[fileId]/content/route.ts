import { apiRoute } from "@/app/v1/api-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The raw bytes, streamed (the SDK's `files.download` asks with `Accept: application/binary`). */
export const GET = apiRoute((ctx) => ctx.useCases.files.download({ teamId: ctx.teamId, fileId: ctx.params.fileId! }));
