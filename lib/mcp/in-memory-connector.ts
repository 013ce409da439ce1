import "server-only";
import { McpError, type McpConnection, type McpConnector, type TMcpCallResult, type TMcpServer, type TMcpToolInfo } from "./types";

/** A tool of an in-memory MCP server: its listing and what a call returns (or throws). */
export type TInMemoryMcpTool = TMcpToolInfo & {
  run(input: Record<string, unknown>, options: { signal: AbortSignal }): TMcpCallResult | Promise<TMcpCallResult>;
};

export type TInMemoryMcpServer = {
  tools: TInMemoryMcpTool[];
  /** When set, a connection without exactly this token is refused as an authentication failure. */
  requireToken?: string;
  /** The server cannot be reached (every connection fails). */
  unreachable?: boolean;
};

/**
 * MCP servers for unit tests, keyed by URL: no I/O. Records every connection (with the token it
 * carried) and every call, so tests can check what reached which server.
 */
export class InMemoryMcpConnector implements McpConnector {
  readonly connects: { url: string; accessToken: string | null }[] = [];
  readonly calls: { url: string; tool: string; input: Record<string, unknown> }[] = [];
  readonly closed: string[] = [];

  constructor(readonly servers: Record<string, TInMemoryMcpServer>) {}

  async connect(server: TMcpServer, options: { accessToken: string | null; signal: AbortSignal }): Promise<McpConnection> {
    this.connects.push({ url: server.url, accessToken: options.accessToken });
    const target = this.servers[server.url];
    if (!target || target.unreachable) throw new McpError("connection", `MCP server "${server.name}" (${server.url}) could not be reached (ECONNREFUSED).`);
    if (target.requireToken !== undefined && options.accessToken !== target.requireToken) {
      throw new McpError("authentication", `MCP server "${server.name}" (${server.url}) refused the credential (HTTP 401).`);
    }
    return {
      listTools: async () => {
        if (target.unreachable) throw new McpError("connection", `MCP server "${server.name}" (${server.url}) could not be reached (ECONNRESET).`);
        return target.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
      },
      callTool: async (name, input, callOptions) => {
        this.calls.push({ url: server.url, tool: name, input });
        if (target.unreachable) throw new McpError("connection", `MCP server "${server.name}" (${server.url}) could not be reached (ECONNRESET).`);
        const tool = target.tools.find((t) => t.name === name);
        if (!tool) return { content: [{ type: "text", text: `MCP error -32602: Tool ${name} not found` }], isError: true };
        return tool.run(input, { signal: callOptions.signal });
      },
      close: async () => {
        this.closed.push(server.url);
      },
    };
  }
}

/** A fixed credential source for unit tests: tokens by server URL. */
export function staticMcpCredentials(tokens: Record<string, string>) {
  return { accessTokenFor: async ({ serverUrl }: { serverUrl: string }) => tokens[serverUrl] ?? null };
}
