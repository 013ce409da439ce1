import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { TAuthenticatedUser } from "./authenticate-user";
import type { TSignedUp } from "./sign-up";
import { encodeSignUpError } from "./sign-up-error";

/** The sign-in page; next-auth sends its errors there too. */
export const SIGN_IN_PATH = "/sign-in";
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * What next-auth's options need, given by the caller (the composition root's use-cases, `useCases()`
 * in app/): the secret the session cookies are signed and encrypted with, and the account use-cases.
 */
export type TAuthOptionsDeps = {
  auth: { secret(): string };
  users: {
    authenticate(options: { email: string; password: string }): Promise<TAuthenticatedUser | null>;
    signUp(options: { name: string; email: string; password: string }): Promise<TSignedUp>;
  };
};

/**
 * next-auth: sessions are JWTs in an encrypted, http-only cookie (signed with `deps.auth.secret()`).
 * Two credentials providers, both behind next-auth's CSRF check:
 * - `credentials` signs in with an email and a password;
 * - `sign-up` creates the account (and its personal team) and signs it in, in one request.
 * The session holds only the user's id, name and email; every page and action looks the user and
 * their membership up again (lib/auth/require-*.ts), so a removed member loses access at once.
 */
function buildAuthOptions(deps: TAuthOptionsDeps): AuthOptions {
  return {
    secret: deps.auth.secret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          return deps.users.authenticate({ email: credentials?.email ?? "", password: credentials?.password ?? "" });
        },
      }),
      CredentialsProvider({
        id: "sign-up",
        name: "Create an account",
        credentials: { name: { label: "Name", type: "text" }, email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          try {
            const { user } = await deps.users.signUp({
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

const built = new WeakMap<TAuthOptionsDeps, AuthOptions>();

/**
 * next-auth's options over `deps`, built on first use, at request time (never during the build: the
 * secret may live in DATA_DIR), once per `deps` object (the installed root). Built here, in the route
 * code's copy of next-auth, not by the composition root: the server's tsx-loaded copy cannot load
 * next-auth's providers (their CommonJS default export).
 */
export function getAuthOptions(deps: TAuthOptionsDeps): AuthOptions {
  let options = built.get(deps);
  if (!options) built.set(deps, (options = buildAuthOptions(deps)));
  return options;
}
