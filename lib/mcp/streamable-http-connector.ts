import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { McpError as ProtocolError } from "@modelcontextprotocol/sdk/types.js";
import { checkMcpDestination } from "./check-mcp-destination";
import { toTextBlocks } from "./to-text-blocks";
import { McpError, type McpConnection, type McpConnector, type TMcpFailedStep, type TMcpServer, type TMcpToolInfo } from "./types";

const CLIENT_INFO = { name: "open-managed-agents", version: "1.0.0" };
/** Pages of `tools/list` read at most (a server that pages forever is cut off). */
const MAX_TOOL_PAGES = 20;

/**
 * Connects to MCP servers with the SDK's client over Streamable HTTP. The token goes in the
 * `Authorization` header of the transport's requests only. Errors are re-thrown as `McpError`
 * with messages of our own (HTTP status, network error code): never the server's response body,
 * which could echo a header back. The body of an HTTP error answer travels only in the error's
 * `failedStep`, for `mcp_oauth_validate`, which scrubs it before showing it.
 */
export class StreamableHttpMcpConnector implements McpConnector {
  /** `allowPrivateAddresses`: may call servers on loopback and private addresses (tests, trusted networks). */
  constructor(private readonly settings: { allowPrivateAddresses: boolean } = { allowPrivateAddresses: false }) {}

  async connect(server: TMcpServer, options: { accessToken: string | null; signal: AbortSignal }): Promise<McpConnection> {
    await checkMcpDestination(server, this.settings);
    const headers: Record<string, string> = options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {};
    const steps = new StepRecorder();
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers }, fetch: steps.fetch });
    const client = new Client(CLIENT_INFO);
    try {
      await client.connect(transport, { signal: options.signal });
    } catch (error) {
      await client.close().catch(() => {});
      throw toMcpError(error, server, steps.failedStep());
    }
    return new StreamableHttpMcpConnection(client, server, steps);
  }
}

/** Longest HTTP error answer kept for a failed step. */
const MAX_FAILED_BODY = 16 * 1024;

/**
 * Remembers the MCP method of the last request the transport sent and, when it was answered with
 * an HTTP error, that answer: what `McpError.failedStep` reports.
 */
class StepRecorder {
  private method = "initialize";
  private response: TMcpFailedStep["httpResponse"] = null;

  readonly fetch: FetchLike = async (url, init) => {
    const method = jsonRpcMethod(init?.body);
    if (method) this.method = method;
    this.response = null;
    const response = await fetch(url, init);
    if (!response.ok) {
      const body = await response.clone().text().catch(() => "");
      this.response = { statusCode: response.status, contentType: response.headers.get("content-type") ?? "", body: body.slice(0, MAX_FAILED_BODY) };
    }
    return response;
  };

  failedStep(): TMcpFailedStep {
    return { method: this.method, httpResponse: this.response };
  }
}

function jsonRpcMethod(body: unknown): string | null {
  if (typeof body !== "string") return null;
  try {
    const message = JSON.parse(body) as { method?: unknown };
    return typeof message.method === "string" ? message.method.slice(0, 128) : null;
  } catch {
    return null;
  }
}

class StreamableHttpMcpConnection implements McpConnection {
  constructor(
    private readonly client: Client,
    private readonly server: TMcpServer,
    private readonly steps: StepRecorder,
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
      throw toMcpError(error, this.server, this.steps.failedStep());
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
      throw toMcpError(error, this.server, this.steps.failedStep());
    }
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => {});
  }
}

function toMcpError(error: unknown, server: TMcpServer, step?: TMcpFailedStep): McpError {
  if (error instanceof McpError) return error;
  const where = `MCP server "${server.name}" (${server.url})`;
  if (error instanceof UnauthorizedError) return new McpError("authentication", `${where} refused the credential (HTTP 401).`, step);
  if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) {
    return new McpError("authentication", `${where} refused the credential (HTTP ${error.code}).`, step);
  }
  if (error instanceof StreamableHTTPError && (error.code ?? 0) > 0) return new McpError("connection", `${where} answered HTTP ${error.code}.`, step);
  if (error instanceof ProtocolError) return new McpError("connection", `${where} returned an MCP error (${error.code}).`, step);
  const code = networkCode(error);
  return new McpError("connection", `${where} could not be reached${code ? ` (${code})` : ""}.`, step && { method: step.method, httpResponse: null });
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from a fetch failure's cause, or the error's own name. */
function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (error instanceof Error && error.name !== "Error" && error.name !== "TypeError") return error.name;
  return null;
}
