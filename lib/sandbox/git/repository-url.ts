import "server-only";
/**
 * The URLs a repository may be cloned from: `https://`, or `http://` (for servers on a private
 * network; the token then travels unencrypted, which is the session creator's choice). A URL with
 * credentials in it (`https://user:token@…`) is refused: credentials go in `authorization_token`,
 * which is kept encrypted and never written into the clone. Other schemes (`file:`, `ssh:`, `ext::`)
 * are refused so a session cannot make the host read its own files or run commands.
 * Returns the reason instead of throwing; the reason never repeats the URL (it may hold a secret).
 */
export function checkRepositoryUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be a URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must be an https:// (or http://) URL";
  if (parsed.username || parsed.password) return "must not contain credentials: pass the token as authorization_token";
  if (!parsed.hostname) return "must name a host";
  return null;
}
