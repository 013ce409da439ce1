import { describe, expect, it } from "vitest";
import { checkMcpDestination } from "@/lib/mcp/check-mcp-destination";
import { StreamableHttpMcpConnector } from "@/lib/mcp/streamable-http-connector";
import { startMcpTestServer } from "./mcp-test-server";

const server = (url: string) => ({ name: "internal", url });

describe("MCP destinations", () => {
  it("refuses loopback, private, link-local and metadata addresses unless private addresses are allowed", async () => {
    for (const url of ["http://127.0.0.1:9/mcp", "http://localhost:9/mcp", "http://10.0.0.5/mcp", "http://192.168.1.1/mcp", "http://169.254.169.254/latest", "http://[::1]:9/mcp"]) {
      await expect(checkMcpDestination(server(url), { allowPrivateAddresses: false }), url).rejects.toMatchObject({
        kind: "connection",
        message: expect.stringContaining("loopback or private address"),
      });
      await expect(checkMcpDestination(server(url), { allowPrivateAddresses: true })).resolves.toBeUndefined();
    }
  });

  it("accepts a public address (resolved without any network: an IP literal)", async () => {
    await expect(checkMcpDestination(server("https://93.184.215.14/mcp"), { allowPrivateAddresses: false })).resolves.toBeUndefined();
  });

  it("never sends a request to a refused server, token included", async () => {
    const mcp = await startMcpTestServer({ token: "mcp-destination-token-0123456789" });
    try {
      const connector = new StreamableHttpMcpConnector();
      const target = server(mcp.url);
      await expect(connector.connect(target, { accessToken: "mcp-destination-token-0123456789", signal: AbortSignal.timeout(10_000) })).rejects.toMatchObject({ kind: "connection" });
      expect(mcp.requests).toBe(0);
      // control: allowed, the same server is reached
      const allowed = await new StreamableHttpMcpConnector({ allowPrivateAddresses: true }).connect(target, { accessToken: "mcp-destination-token-0123456789", signal: AbortSignal.timeout(10_000) });
      await allowed.close();
      expect(mcp.requests).toBeGreaterThan(0);
    } finally {
      await mcp.close();
    }
  });
});
