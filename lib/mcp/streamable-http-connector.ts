import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError as ProtocolError } from "@modelcontextprotocol/sdk/types.js";
import { checkMcpDestination } from "./check-mcp-destination";
import { toTextBlocks } from "./to-text-blocks";
import { McpError, type McpConnection, type McpConnector, type TMcpServer, type TMcpToolInfo } from "./types";

const CLIENT_INFO = { name: "open-managed-agents", version: "1.0.0" };
/** Pages of `tools/list` read at most (a server that pages forever is cut off). */
const MAX_TOOL_PAGES = 20;

/**
 * Connects to MCP servers with the SDK's client over Streamable HTTP. The token goes in the
 * `Authorization` header of the transport's requests only. Errors are re-thrown as `McpError`
 * with messages of our own (HTTP status, network error code): never the server's response body,
 * which could echo a header back.
 */
export class StreamableHttpMcpConnector implements McpConnector {
  /** `allowPrivateAddresses`: may call servers on loopback and private addresses (tests, trusted networks). */
  constructor(private readonly settings: { allowPrivateAddresses: boolean } = { allowPrivateAddresses: false }) {}

  async connect(server: TMcpServer, options: { accessToken: string | null; signal: AbortSignal }): Promise<McpConnection> {
    await checkMcpDestination(server, this.settings);
    const headers: Record<string, string> = options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {};
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } });
    const client = new Client(CLIENT_INFO);
    try {
      await client.connect(transport, { signal: options.signal });
    } catch (error) {
      await client.close().catch(() => {});
      throw toMcpError(error, server);
    }
    return new StreamableHttpMcpConnection(client, server);
  }
}

class StreamableHttpMcpConnection implements McpConnection {
  constructor(
    private readonly client: Client,
    private readonly server: TMcpServer,
  ) {}

  async listTools(options: { signal: AbortSignal }): Promise<TMcpToolInfo[]> {
    const tools: TMcpToolInfo[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await this.client.listTools(cursor ? { cursor } : undefined, { signal: options.signal });
        for (const tool of result.tools) {
          tools.push({ name: tool.name, description: tool.description ?? "", inputSchema: tool.inputSchema as Record<string, unknown> });
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    } catch (error) {
      throw toMcpError(error, this.server);
    }
    return tools;
  }

  async callTool(name: string, input: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }) {
    try {
      const result = await this.client.callTool({ name, arguments: input }, undefined, { signal: options.signal, timeout: options.timeoutMs });
      return toTextBlocks(result as Record<string, unknown>);
    } catch (error) {
      if (options.signal.aborted) throw error;
      // a JSON-RPC error (unknown tool, invalid arguments, timeout) is the call's failure, for the model to see
      if (error instanceof ProtocolError) return { content: [{ type: "text" as const, text: `MCP error ${error.code}: ${error.message}` }], isError: true };
      throw toMcpError(error, this.server);
    }
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => {});
  }
}

function toMcpError(error: unknown, server: TMcpServer): McpError {
  if (error instanceof McpError) return error;
  const where = `MCP server "${server.name}" (${server.url})`;
  if (error instanceof UnauthorizedError) return new McpError("authentication", `${where} refused the credential (HTTP 401).`);
  if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) {
    return new McpError("authentication", `${where} refused the credential (HTTP ${error.code}).`);
  }
  if (error instanceof StreamableHTTPError && (error.code ?? 0) > 0) return new McpError("connection", `${where} answered HTTP ${error.code}.`);
  if (error instanceof ProtocolError) return new McpError("connection", `${where} returned an MCP error (${error.code}).`);
  const code = networkCode(error);
  return new McpError("connection", `${where} could not be reached${code ? ` (${code})` : ""}.`);
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from a fetch failure's cause, or the error's own name. */
function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (error instanceof Error && error.name !== "Error" && error.name !== "TypeError") return error.name;
  return null;
}
