import { describe, expect, it } from "vitest";
import { safeCallbackUrl, signInPath } from "@/lib/auth/callback-url";
import { ZSignUpSchema } from "@/lib/auth/schemas";
import { decodeSignUpError, encodeSignUpError } from "@/lib/auth/sign-up-error";

describe("safeCallbackUrl", () => {
  it.each(["/t/acme", "/invite/abc_DEF-123", "/teams/new?x=1"])("follows a path on this site: %s", (url) => {
    expect(safeCallbackUrl(url)).toBe(url);
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "t/acme", "", "/t/\nacme", 42, undefined])(
    "drops anything that could leave the site: %s",
    (url) => {
      expect(safeCallbackUrl(url)).toBeNull();
    },
  );

  it("builds the sign-in path with the way back", () => {
    expect(signInPath("/t/acme/settings/members")).toBe("/sign-in?callbackUrl=%2Ft%2Facme%2Fsettings%2Fmembers");
    expect(signInPath("https://evil.example")).toBe("/sign-in");
  });
});

describe("sign-up form rules", () => {
  it("normalizes the email and names each broken rule", () => {
    expect(ZSignUpSchema.parse({ name: " Ada ", email: " Ada@Example.com ", password: "0123456789" })).toEqual({ name: "Ada", email: "ada@example.com", password: "0123456789" });
    const result = ZSignUpSchema.safeParse({ name: "", email: "nope", password: "short" });
    expect(result.success).toBe(false);
    expect(Object.fromEntries(result.error!.issues.map((issue) => [issue.path[0], issue.message]))).toEqual({
      name: "Enter your name",
      email: "Enter a valid email address, like name@example.com",
      password: "Use at least 10 characters",
    });
  });

  it("carries a refusal from the server to the field it is about", () => {
    const encoded = encodeSignUpError("email", "An account with this email already exists: sign in.");
    expect(decodeSignUpError(new URL(`http://x/?error=${encodeURIComponent(encoded)}`).searchParams.get("error"))).toEqual({
      field: "email",
      message: "An account with this email already exists: sign in.",
    });
    expect(decodeSignUpError("CredentialsSignin")).toBeNull();
    expect(decodeSignUpError(null)).toBeNull();
  });
});
