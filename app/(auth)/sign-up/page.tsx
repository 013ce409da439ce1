import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getCurrentUser } from "@/lib/auth/current-user";
import { useCases } from "@/lib/server/root";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: TProps) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser(useCases())) redirect(callbackUrl ?? "/teams");
  const signInHref = callbackUrl ? `/sign-in?${new URLSearchParams({ callbackUrl })}` : "/sign-in";

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1.5">
        <h1 id="sign-up-heading" className="text-2xl font-semibold tracking-tight">
          Create an account
        </h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {callbackUrl?.startsWith("/invite/")
            ? "Create an account to accept your invitation."
            : "You get a personal team to start with; invite others or create more teams later."}
        </p>
      </div>
      <SignUpForm callbackUrl={callbackUrl} signInHref={signInHref} />
    </div>
  );
}
