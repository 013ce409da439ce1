import { createApiRoute } from "@/lib/api/api-route";
import { useCases } from "@/lib/server/root";

/**
 * The /v1 route wrapper, bound to the booted composition root: each handler gets `ctx.useCases`
 * and asks it for the one use-case it serves. The wrapper lives in lib/api, which may not import
 * lib/server, so the binding is made here, in the top layer (see createApiRoute).
 */
export const apiRoute = createApiRoute(useCases);
