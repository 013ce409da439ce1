/**
 * Where to go after signing in. Only a path on this site is followed (`/t/acme`, `/invite/…`):
 * anything else — another origin, `//host`, `/\host`, a scheme — is dropped, so sign-in links
 * cannot be turned into open redirects. Pure, shared by the pages and the forms.
 */
export function safeCallbackUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 2_000) return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  return value;
}

export function signInPath(callbackUrl?: string | null): string {
  const safe = safeCallbackUrl(callbackUrl);
  return safe ? `/sign-in?${new URLSearchParams({ callbackUrl: safe })}` : "/sign-in";
}
