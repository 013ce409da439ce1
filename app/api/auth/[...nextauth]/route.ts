import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { useCases } from "@/lib/server/root";

// next-auth's endpoints: csrf, session, providers, callback/credentials (sign in),
// callback/sign-up (create an account and sign in), signout.

export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: NextRequest, context: TContext): Promise<Response> {
  return NextAuth(request, context, getAuthOptions(useCases()));
}

export { handler as GET, handler as POST };
