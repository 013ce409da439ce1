"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { fieldErrorsOf, PASSWORD_MIN_LENGTH, ZSignUpSchema } from "@/lib/auth/schemas";
import { decodeSignUpError } from "@/lib/auth/sign-up-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormState } from "@/components/forms/form-state";
import { useFormFeedback } from "@/components/forms/use-form-feedback";

const FIELDS = ["name", "email", "password"] as const;

/**
 * Creates the account and signs in, in one request to next-auth's `sign-up` endpoint (which checks
 * the input again and creates the account with its personal team). Input is checked here first
 * with the same schema, so most mistakes are shown without a round trip.
 */
export function SignUpForm({ callbackUrl, signInHref }: { callbackUrl: string | null; signInHref: string }) {
  const router = useRouter();
  const [submitted, formAction, pending] = useActionState<TFormState<null>, FormData>(async (_previous, formData) => {
    const values = Object.fromEntries(FIELDS.map((field) => [field, String(formData.get(field) ?? "")]));
    const kept = { name: values.name ?? "", email: values.email ?? "", password: values.password ?? "" };
    const parsed = ZSignUpSchema.safeParse(values);
    if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values: kept };
    try {
      const result = await signIn("sign-up", { redirect: false, ...parsed.data });
      if (!result?.ok || result.error) {
        const refused = decodeSignUpError(result?.error);
        if (refused && (FIELDS as readonly string[]).includes(refused.field)) return { status: "error", fieldErrors: { [refused.field]: refused.message }, values: kept };
        return { status: "error", message: refused?.message ?? "Your account could not be created. Please try again.", values: kept };
      }
    } catch {
      return { status: "error", message: "Could not reach the server. Check your connection and try again.", values: kept };
    }
    router.replace(callbackUrl ?? "/teams");
    router.refresh();
    return { status: "success", message: "Account created. Opening your team…", data: null };
  }, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const message = formMessage(state);

  return (
    <form ref={formRef} onChange={onEdit} action={formAction} noValidate aria-labelledby="sign-up-heading" className="flex flex-col gap-5">
      <div data-form-message aria-live="polite" className="empty:hidden">
        {message ? <Alert tone="error">{message}</Alert> : null}
        {state.status === "success" ? <Alert tone="success">{state.message}</Alert> : null}
      </div>
      <TextField name="name" label="Name" autoComplete="name" required defaultValue={valueOf(state, "name")} error={fieldError(state, "name")} />
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={valueOf(state, "email")}
        error={fieldError(state, "email")}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        defaultValue={valueOf(state, "password")}
        error={fieldError(state, "password")}
      />
      <Button type="submit" pending={pending || state.status === "success"} pendingLabel="Creating your account…" className="w-full">
        Create account
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href={signInHref} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
          Sign in
        </Link>
      </p>
    </form>
  );
}
