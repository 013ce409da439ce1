import { z } from "zod";

/**
 * The shapes of the sign-up and sign-in forms. Pure zod, no server code: the forms check input
 * with these before sending it, and the server checks it again with the same schemas.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const ZEmailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .min(1, { error: "Enter your email address" })
  .max(254, { error: "Email addresses are at most 254 characters" })
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com" }));

export const ZNewPasswordSchema = z
  .string({ error: "Choose a password" })
  .min(1, { error: "Choose a password" })
  .min(PASSWORD_MIN_LENGTH, { error: `Use at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `Use at most ${PASSWORD_MAX_LENGTH} characters` });

export const ZPersonNameSchema = z
  .string({ error: "Enter your name" })
  .trim()
  .min(1, { error: "Enter your name" })
  .max(100, { error: "Use at most 100 characters" });

export const ZSignUpSchema = z.object({ name: ZPersonNameSchema, email: ZEmailSchema, password: ZNewPasswordSchema });
export type TSignUpInput = z.infer<typeof ZSignUpSchema>;

export const ZSignInSchema = z.object({
  email: ZEmailSchema,
  // Not checked against the sign-up rules: an account made under older rules can still sign in.
  password: z
    .string({ error: "Enter your password" })
    .min(1, { error: "Enter your password" })
    .max(PASSWORD_MAX_LENGTH, { error: "Email or password is incorrect" }),
});
export type TSignInInput = z.infer<typeof ZSignInSchema>;

/** The first message for each field that failed, e.g. `{ email: "Enter a valid email address…" }`. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    if (field && !(field in out)) out[field] = issue.message;
  }
  return out;
}
