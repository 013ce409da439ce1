import "server-only";
import type { Logger } from "@/lib/log";
import { createRedactor, type Redactor } from "@/lib/redact";
import { mcpModelToolName } from "./tool-names";
import {
  DEFAULT_MCP_CONNECT_TIMEOUT_MS,
  McpCredentialError,
  McpError,
  mcpToolPolicy,
  type McpConnection,
  type TMcpCallResult,
  type TMcpDeps,
  type TMcpErrorKind,
  type TMcpServerConfig,
  type TPermission,
} from "./types";

/** An MCP tool as offered to the model. */
export type TMcpModelTool = {
  modelName: string;
  serverName: string;
  toolName: string;
  description: string;
  inputSchema: Record<string, unknown>;
  permission: TPermission;
};

export type TMcpFailure = { serverName: string; kind: TMcpErrorKind; message: string };

type TListing = { tools: TMcpModelTool[]; failures: TMcpFailure[] };

/**
 * A session's MCP connections for one wake. Nothing is opened until the first model request or
 * tool call needs it; then every server is connected (in parallel, with the bearer token from the
 * session's vaults) and its tools listed once. Connections are closed when the wake ends: a wake
 * keeps nothing a successor would need.
 *
 * A server that cannot be reached, or refuses the credential, is left out of this wake's tool list
 * and reported once per wake (`failuresToReport`); the next wake tries it again. A call that fails
 * on the connection drops it, so the next call reconnects.
 *
 * Everything that comes back from a server (tool descriptions and schemas, results, error
 * messages) is passed through a redactor of the tokens this wake sent, so a server that echoes its
 * `Authorization` header cannot put the token into the log or the model's context.
 */
export class SessionMcpClients {
  private readonly connections = new Map<string, Promise<McpConnection>>();
  private readonly tokens: string[] = [];
  private redactor: Redactor = createRedactor([]);
  private listing: Promise<TListing> | null = null;
  private reported = false;

  constructor(
    private readonly options: {
      deps: TMcpDeps;
      servers: readonly TMcpServerConfig[];
      session: { id: string; teamId: string; vaultIds: readonly string[] };
      /** The agent's own tool names, which an MCP tool's model name must not take. */
      reserved: ReadonlySet<string>;
      log?: Logger;
    },
  ) {}

  /** The tools of every reachable server, and the failures not reported yet in this wake (once). */
  async tools(signal: AbortSignal): Promise<{ tools: TMcpModelTool[]; failuresToReport: TMcpFailure[] }> {
    this.listing ??= this.listAll(signal);
    const listing = await this.listing;
    const failuresToReport = this.reported ? [] : listing.failures;
    this.reported = true;
    return { tools: listing.tools, failuresToReport };
  }

  /** Calls a tool; a connection or authentication failure is returned as an error result with `failure`. */
  async call(
    serverName: string,
    toolName: string,
    input: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<TMcpCallResult & { failure?: TMcpFailure }> {
    try {
      const connection = await this.connection(serverName, options.signal);
      const result = await connection.callTool(toolName, input, options);
      return { isError: result.isError, content: result.content.map((b) => ({ type: "text" as const, text: this.redactor.redact(b.text) })) };
    } catch (error) {
      if (options.signal.aborted) throw error;
      this.drop(serverName);
      const failure = this.failureOf(serverName, error);
      return { isError: true, content: [{ type: "text", text: failure.message }], failure };
    }
  }

  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => c.then((connection) => connection.close()).catch(() => {})));
  }

  private async listAll(signal: AbortSignal): Promise<TListing> {
    const results = await Promise.all(this.options.servers.map((server) => this.listServer(server, signal)));
    return { tools: results.flatMap((r) => r.tools), failures: results.flatMap((r) => r.failures) };
  }

  private async listServer(server: TMcpServerConfig, signal: AbortSignal): Promise<TListing> {
    const timeoutMs = this.options.deps.connectTimeoutMs ?? DEFAULT_MCP_CONNECT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const bounded = AbortSignal.any([signal, timeout]);
    try {
      const connection = await this.connection(server.name, bounded);
      const listed = await connection.listTools({ signal: bounded });
      const tools: TMcpModelTool[] = [];
      for (const tool of listed) {
        const policy = mcpToolPolicy(server, tool.name);
        if (!policy.enabled) continue;
        tools.push({
          modelName: mcpModelToolName(server.name, tool.name, this.options.reserved),
          serverName: server.name,
          toolName: tool.name,
          description: this.redactor.redact(tool.description),
          inputSchema: this.redactJson(tool.inputSchema),
          permission: policy.permission,
        });
      }
      return { tools, failures: [] };
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      this.drop(server.name);
      const failure = timeout.aborted
        ? { serverName: server.name, kind: "connection" as const, message: `MCP server "${server.name}" (${server.url}) did not answer within ${Math.round(timeoutMs / 1000)} s.` }
        : this.failureOf(server.name, error);
      this.options.log?.warn("MCP server unavailable for this wake", { sessionId: this.options.session.id, server: server.name, kind: failure.kind });
      return { tools: [], failures: [failure] };
    }
  }

  private connection(serverName: string, signal: AbortSignal): Promise<McpConnection> {
    let connection = this.connections.get(serverName);
    if (!connection) {
      connection = this.open(serverName, signal);
      this.connections.set(serverName, connection);
    }
    return connection;
  }

  private async open(serverName: string, signal: AbortSignal): Promise<McpConnection> {
    const server = this.options.servers.find((s) => s.name === serverName);
    if (!server) throw new McpError("connection", `The agent has no MCP server named "${serverName}".`);
    const { session, deps } = this.options;
    const query = { teamId: session.teamId, vaultIds: session.vaultIds, serverUrl: server.url, signal };
    const accessToken = await this.credential(server, signal, () => deps.credentials.accessTokenFor(query));
    try {
      return await deps.connector.connect({ name: server.name, url: server.url }, { accessToken, signal });
    } catch (error) {
      if (!(error instanceof McpError) || error.kind !== "authentication") throw error;
      if (!accessToken) throw new McpError("authentication", `${error.message} No mcp_oauth credential in the session's vaults matches ${server.url}.`);
      // A refused OAuth token (revoked, or expired early) gets one refresh and one more try.
      const refreshRejected = deps.credentials.refreshRejected?.bind(deps.credentials);
      if (!refreshRejected) throw error;
      const retryToken = await this.credential(server, signal, () => refreshRejected({ ...query, rejectedToken: accessToken }), error.message);
      if (!retryToken) throw error;
      return deps.connector.connect({ name: server.name, url: server.url }, { accessToken: retryToken, signal });
    }
  }

  /**
   * A token from the credential source, added to the redactor. A credential that cannot give one
   * (`McpCredentialError`: expired, refresh failed) is an authentication failure naming the server
   * and the reason; any other error (the vault's errors name the credential and the key id, never
   * the secret) is one that says the credential could not be read.
   */
  private async credential(server: TMcpServerConfig, signal: AbortSignal, read: () => Promise<string | null>, refusal?: string): Promise<string | null> {
    const { session } = this.options;
    let token: string | null;
    try {
      token = await read();
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof McpCredentialError) {
        this.options.log?.warn("MCP credential gave no usable token", { sessionId: session.id, server: server.name, reason: error.message });
        const prefix = refusal ?? `The credential for MCP server "${server.name}" (${server.url}) cannot be used.`;
        throw new McpError("authentication", `${prefix} ${error.message}`);
      }
      this.options.log?.error("MCP credential could not be read", { sessionId: session.id, server: server.name, error: error instanceof Error ? error.message : "unknown" });
      throw new McpError("authentication", `The credential for MCP server "${server.name}" could not be read from the session's vaults.`);
    }
    if (token && !this.tokens.includes(token)) {
      this.tokens.push(token);
      this.redactor = createRedactor(this.tokens);
    }
    return token;
  }

  private drop(serverName: string): void {
    const connection = this.connections.get(serverName);
    this.connections.delete(serverName);
    void connection?.then((c) => c.close()).catch(() => {});
  }

  private failureOf(serverName: string, error: unknown): TMcpFailure {
    const kind = error instanceof McpError ? error.kind : "connection";
    const raw = error instanceof McpError ? error.message : `MCP server "${serverName}" failed: ${error instanceof Error ? error.message : "unknown error"}`;
    return { serverName, kind, message: this.redactor.redact(raw) };
  }

  private redactJson(value: Record<string, unknown>): Record<string, unknown> {
    if (!this.redactor.active) return value;
    const text = JSON.stringify(value);
    const redacted = this.redactor.redact(text);
    if (redacted === text) return value;
    try {
      return JSON.parse(redacted) as Record<string, unknown>;
    } catch {
      return { type: "object" };
    }
  }
}
