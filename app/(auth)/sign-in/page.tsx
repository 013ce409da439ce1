import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getCurrentUser } from "@/lib/auth/current-user";
import { useCases } from "@/lib/server/root";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Errors next-auth may send here (its redirects for a form posted without JavaScript). */
const ERRORS: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  SessionRequired: "Sign in to continue.",
};

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: TProps) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser(useCases())) redirect(callbackUrl ?? "/teams");
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : undefined;
  const signUpHref = callbackUrl ? `/sign-up?${new URLSearchParams({ callbackUrl })}` : "/sign-up";

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1.5">
        <h1 id="sign-in-heading" className="text-2xl font-semibold tracking-tight">
          Sign in
        </h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {callbackUrl?.startsWith("/invite/") ? "Sign in to accept your invitation." : "Welcome back. Sign in to your teams."}
        </p>
      </div>
      <SignInForm callbackUrl={callbackUrl} signUpHref={signUpHref} initialError={error} />
    </div>
  );
}
