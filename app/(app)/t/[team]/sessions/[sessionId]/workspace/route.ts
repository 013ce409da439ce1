import { requireMembership } from "@/lib/auth/require-membership";
import { AppError } from "@/lib/errors";
import { useCases } from "@/lib/server/root";
import { attachmentDisposition } from "@/lib/resource/content-disposition";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ team: string; sessionId: string }> };

/**
 * The workspace panel's reads, for members of the session's team: `?list` (the tree, JSON),
 * `?preview=<path>` (a file's text, JSON), `?download=<path>` (the file), `?zip` (everything, as a
 * zip). Downloads are attachments of type application/octet-stream: what the sandbox wrote is
 * never rendered by the browser as a page of this site.
 */
export async function GET(request: Request, { params }: TContext): Promise<Response> {
  const { team: slug, sessionId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  const query = new URL(request.url).searchParams;
  const workspace = useCases().workspace;
  const scope = { teamId: team.id, sessionId };
  try {
    if (query.has("preview")) return Response.json(await workspace.preview({ ...scope, path: query.get("preview") }));
    if (query.has("download")) {
      const file = await workspace.download({ ...scope, path: query.get("download") });
      return new Response(new Uint8Array(file.bytes), { headers: attachment(file.name) });
    }
    if (query.has("zip")) return new Response(await workspace.zip(scope), { headers: attachment(`${sessionId}-workspace.zip`) });
    return Response.json({ listing: await workspace.list(scope) });
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "invalid_request")) {
      return Response.json({ error: error.message }, { status: error.code === "not_found" ? 404 : 400 });
    }
    throw error;
  }
}

function attachment(name: string): HeadersInit {
  return {
    "content-type": "application/octet-stream",
    "content-disposition": attachmentDisposition(name),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  };
}
