const REDACTED = "[redacted]";

/** A function that replaces every occurrence of the given secrets (and their URL-encoded forms). */
export function createRedactor(secrets: Array<string | undefined>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

/** An http(s) base URL as people may see it: no user info, query or fragment. */
export function describeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // The parser's error carries the input, credentials included: say less.
    throw new TypeError("The Anthropic API base URL is not a valid URL.");
  }
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}
