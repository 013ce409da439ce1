"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { fieldErrorsOf, ZSignInSchema } from "@/lib/auth/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { fieldError, formMessage, IDLE, valueOf, type TFormState } from "@/components/forms/form-state";
import { useFormFeedback } from "@/components/forms/use-form-feedback";

/**
 * Email and password, checked here with the same schema as on the server, then sent to next-auth's
 * credentials endpoint. A wrong email and a wrong password get the same answer.
 */
export function SignInForm({ callbackUrl, signUpHref, initialError }: { callbackUrl: string | null; signUpHref: string; initialError?: string }) {
  const router = useRouter();
  const [submitted, formAction, pending] = useActionState<TFormState<null>, FormData>(async (_previous, formData) => {
    const values = { email: String(formData.get("email") ?? ""), password: String(formData.get("password") ?? "") };
    const parsed = ZSignInSchema.safeParse(values);
    if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values: { email: values.email } };
    try {
      const result = await signIn("credentials", { redirect: false, email: parsed.data.email, password: parsed.data.password });
      if (!result?.ok || result.error) return { status: "error", message: "Email or password is incorrect.", values: { email: values.email } };
    } catch {
      return { status: "error", message: "Could not reach the server. Check your connection and try again.", values: { email: values.email } };
    }
    router.replace(callbackUrl ?? "/teams");
    router.refresh();
    return { status: "success", message: "Signed in. Opening your team…", data: null };
  }, IDLE);
  const { formRef, onEdit, state } = useFormFeedback(submitted);
  const message = formMessage(state) ?? (state.status === "idle" ? initialError : undefined);

  return (
    <form ref={formRef} onChange={onEdit} action={formAction} noValidate aria-labelledby="sign-in-heading" className="flex flex-col gap-5">
      <div data-form-message aria-live="polite" className="empty:hidden">
        {message ? <Alert tone="error">{message}</Alert> : null}
        {state.status === "success" ? <Alert tone="success">{state.message}</Alert> : null}
      </div>
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
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required error={fieldError(state, "password")} />
      <Button type="submit" pending={pending || state.status === "success"} pendingLabel="Signing in…" className="w-full">
        Sign in
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here?{" "}
        <Link href={signUpHref} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
          Create an account
        </Link>
      </p>
    </form>
  );
}
