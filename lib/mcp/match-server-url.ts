import "server-only";
/**
 * Whether a credential's `mcp_server_url` is the agent's MCP server URL. Decision: the URLs must
 * name the same endpoint after WHATWG normalization (scheme and host lower-cased, default port
 * dropped, percent-encoding normalized), ignoring only a trailing `/` of the path and the fragment.
 * The query must be equal. There is no prefix matching: a token for `https://h/mcp` is never sent
 * to `https://h/other`, nor to another port or scheme.
 */
export function sameMcpServerUrl(a: string, b: string): boolean {
  const left = normalize(a);
  return left !== null && left === normalize(b);
}

function normalize(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : "";
  return `${url.protocol}//${url.host}${path}${url.search}`;
}
