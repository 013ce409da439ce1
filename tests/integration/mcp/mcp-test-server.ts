import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export type TMcpTestServer = {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp */
  url: string;
  /** Every tools/call that passed the bearer check: tool and arguments. */
  calls: { tool: string; input: Record<string, unknown> }[];
  /** How many requests were refused with 401. */
  refused: number;
  /** How many HTTP requests arrived at all. */
  requests: number;
  close(): Promise<void>;
};

/**
 * A real MCP server for tests: the SDK's `McpServer` over Streamable HTTP (stateless, JSON
 * responses) on 127.0.0.1, refusing with 401 any request whose `Authorization` is not
 * `Bearer <token>`. Tools: `create_issue` (answers with the issue it "created") and `fail` (an MCP
 * tool error).
 */
export async function startMcpTestServer(options: { token: string }): Promise<TMcpTestServer> {
  const state = { calls: [] as TMcpTestServer["calls"], refused: 0, requests: 0 };

  const serverFor = () => {
    const server = new McpServer({ name: "test-issues", version: "1.0.0" });
    server.registerTool(
      "create_issue",
      { description: "Create an issue in the tracker", inputSchema: { title: z.string() } },
      async ({ title }) => {
        state.calls.push({ tool: "create_issue", input: { title } });
        return { content: [{ type: "text", text: `Created issue #42: ${title}` }] };
      },
    );
    server.registerTool("fail", { description: "Always fails", inputSchema: { reason: z.string() } }, async ({ reason }) => {
      state.calls.push({ tool: "fail", input: { reason } });
      return { content: [{ type: "text", text: `failed: ${reason}` }], isError: true };
    });
    return server;
  };

  const http_ = http.createServer(async (req, res) => {
    state.requests++;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      state.refused++;
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ error: "invalid_token" }));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    const server = serverFor();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http_.listen(0, "127.0.0.1", resolve));
  const { port } = http_.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    get calls() {
      return state.calls;
    },
    get refused() {
      return state.refused;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http_.closeAllConnections();
        http_.close(() => resolve());
      }),
  };
}
