import "server-only";
/**
 * The harness's view of MCP servers, behind two small interfaces so that unit tests can swap in an
 * in-memory server (`InMemoryMcpConnector`) and the server runs the real one
 * (`StreamableHttpMcpConnector`, the `@modelcontextprotocol/sdk` client over Streamable HTTP).
 */

/** An entry of the agent's `mcp_servers`. */
export type TMcpServer = { name: string; url: string };

/** A tool as the MCP server lists it. */
/** Whether a tool call runs at once or waits for the user's confirmation (built-in and MCP tools alike). */
export type TPermission = "allow" | "ask";

export type TToolPolicy = { enabled: boolean; permission: TPermission };

/**
 * An MCP server of the agent with its `mcp_toolset`: which of its tools the model gets and whether
 * a call waits for confirmation. Decision: a server's tools are offered only through its
 * `mcp_toolset` (the API requires one per server); a tool not named in `configs` follows
 * `default_config`, which defaults to enabled and `always_allow`. Parsed from the agent by the
 * harness (lib/harness/agent-config.ts).
 */
export type TMcpServerConfig = { name: string; url: string; defaults: TToolPolicy; tools: Map<string, TToolPolicy> };

export function mcpToolPolicy(server: TMcpServerConfig, tool: string): TToolPolicy {
  return server.tools.get(tool) ?? server.defaults;
}

export type TMcpToolInfo = { name: string; description: string; inputSchema: Record<string, unknown> };

/** The result of a tool call, already reduced to text blocks (what the log and the model get). */
export type TMcpCallResult = { content: { type: "text"; text: string }[]; isError: boolean };

export interface McpConnection {
  listTools(options: { signal: AbortSignal }): Promise<TMcpToolInfo[]>;
  callTool(name: string, input: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<TMcpCallResult>;
  close(): Promise<void>;
}

export interface McpConnector {
  /**
   * Opens a connection (the MCP `initialize` handshake). `accessToken`, when given, is sent as
   * `Authorization: Bearer …` on every request, and nowhere else. Rejects with an `McpError`.
   */
  connect(server: TMcpServer, options: { accessToken: string | null; signal: AbortSignal }): Promise<McpConnection>;
}

/** Where the harness finds the bearer token for an MCP server: the session's vaults. */
export interface McpCredentialSource {
  /**
   * The token to send, refreshed first when it is about to expire. Rejects with an
   * `McpCredentialError` when the credential cannot give a usable token (expired, refresh failed).
   */
  accessTokenFor(options: TMcpCredentialQuery): Promise<string | null>;
  /**
   * After the server refused `rejectedToken`: a different token to try once (refreshed, or
   * refreshed meanwhile by another process), or null when there is none to try. Optional: a source
   * that cannot refresh leaves it out.
   */
  refreshRejected?(options: TMcpCredentialQuery & { rejectedToken: string }): Promise<string | null>;
}

export type TMcpCredentialQuery = { teamId: string; vaultIds: readonly string[]; serverUrl: string; signal?: AbortSignal };

/** A credential that cannot give a usable token; the message says why, never with a secret. */
export class McpCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "McpCredentialError";
  }
}

/** What the harness needs to reach MCP servers. */
export type TMcpDeps = {
  connector: McpConnector;
  credentials: McpCredentialSource;
  /** Longest the connection and tool listing of one server may take (ms). Default 15 s. */
  connectTimeoutMs?: number;
};

export const DEFAULT_MCP_CONNECT_TIMEOUT_MS = 15_000;

/**
 * `connection`: the server could not be reached or did not speak MCP; `authentication`: it refused
 * the credential (HTTP 401/403). Messages never contain the token.
 */
export type TMcpErrorKind = "connection" | "authentication";

/**
 * The step that failed, for `mcp_oauth_validate`'s `mcp_probe`: the MCP method, and the server's
 * HTTP error answer when there was one (raw: whoever shows it scrubs it first).
 */
export type TMcpFailedStep = { method: string; httpResponse: { statusCode: number; contentType: string; body: string } | null };

export class McpError extends Error {
  constructor(
    readonly kind: TMcpErrorKind,
    message: string,
    readonly failedStep?: TMcpFailedStep,
  ) {
    super(message);
    this.name = "McpError";
  }
}
