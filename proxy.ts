import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getAuthSecret } from "@/lib/auth/auth-secret";
import { signInPath } from "@/lib/auth/callback-url";

/**
 * An optimistic check in front of the signed-in pages: a visitor without a valid session cookie is
 * sent to sign in, with the page they asked for as the way back. It reads only the cookie; the
 * authoritative checks (the account exists, the team membership) are made by every page and action
 * through lib/auth/require-user.ts and require-membership.ts.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  let secret: string;
  try {
    secret = getAuthSecret();
  } catch {
    return NextResponse.next(); // misconfigured: the page itself reports it
  }
  // The cookie's name has a `__Secure-` prefix when the site is served over https.
  for (const secureCookie of [false, true]) {
    const token = await getToken({ req: request, secret, secureCookie });
    if (token?.sub) return NextResponse.next();
  }
  const { pathname, search } = request.nextUrl;
  return NextResponse.redirect(new URL(signInPath(`${pathname}${search}`), request.url));
}

export const config = { matcher: ["/t/:path*", "/teams/:path*", "/invite/:path*"] };
