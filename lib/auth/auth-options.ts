import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getRuntime } from "@/lib/server/runtime";
import { getAuthSecret } from "./auth-secret";
import { authenticateUser } from "./authenticate-user";
import { signUp } from "./sign-up";
import { encodeSignUpError } from "./sign-up-error";

/** The sign-in page; next-auth sends its errors there too. */
export const SIGN_IN_PATH = "/sign-in";
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * next-auth: sessions are JWTs in an encrypted, http-only cookie (signed with `getAuthSecret()`).
 * Two credentials providers, both behind next-auth's CSRF check:
 * - `credentials` signs in with an email and a password;
 * - `sign-up` creates the account (and its personal team) and signs it in, in one request.
 * The session holds only the user's id, name and email; every page and action looks the user and
 * their membership up again (lib/auth/require-*.ts), so a removed member loses access at once.
 */
function buildAuthOptions(): AuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          return authenticateUser(getRuntime().db.prisma, { email: credentials?.email ?? "", password: credentials?.password ?? "" });
        },
      }),
      CredentialsProvider({
        id: "sign-up",
        name: "Create an account",
        credentials: { name: { label: "Name", type: "text" }, email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          try {
            const { user } = await signUp(getRuntime().db.prisma, {
              name: credentials?.name ?? "",
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
            });
            return user;
          } catch (error) {
            // The message ends up in a URL the browser sees: only our own, never a database error.
            if (error instanceof AppError && (error.code === "invalid_request" || error.code === "conflict")) {
              throw new Error(encodeSignUpError(String(error.details?.field || "form"), error.message));
            }
            log.error("sign-up failed", { error });
            throw new Error(encodeSignUpError("form", "Something went wrong while creating your account. Please try again."));
          }
        },
      }),
    ],
    callbacks: {
      session({ session, token }) {
        return { ...session, user: { id: token.sub, name: token.name, email: token.email } };
      },
    },
    logger: {
      error: (code, metadata) => log.error(`auth: ${code}`, { metadata }),
      warn: (code) => log.warn(`auth: ${code}`),
      debug: () => {},
    },
  };
}

let cached: AuthOptions | undefined;

/** Built on first use, at request time (never during the build: the secret may live in DATA_DIR). */
export function getAuthOptions(): AuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}
