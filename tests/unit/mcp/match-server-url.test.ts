import { describe, expect, it } from "vitest";
import { sameMcpServerUrl } from "@/lib/mcp/match-server-url";

describe("sameMcpServerUrl", () => {
  it("matches the same endpoint written differently", () => {
    expect(sameMcpServerUrl("https://MCP.example.com:443/v1/mcp/", "https://mcp.example.com/v1/mcp")).toBe(true);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp#frag", "https://mcp.example.com/mcp")).toBe(true);
    expect(sameMcpServerUrl("https://mcp.example.com", "https://mcp.example.com/")).toBe(true);
  });

  it("never matches another path, port, scheme, host or query", () => {
    expect(sameMcpServerUrl("https://mcp.example.com/mcp", "https://mcp.example.com/mcp/admin")).toBe(false);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp", "https://mcp.example.com/other")).toBe(false);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp", "https://mcp.example.com:8443/mcp")).toBe(false);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp", "http://mcp.example.com/mcp")).toBe(false);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp", "https://mcp.example.com.evil.test/mcp")).toBe(false);
    expect(sameMcpServerUrl("https://mcp.example.com/mcp?tenant=a", "https://mcp.example.com/mcp?tenant=b")).toBe(false);
    expect(sameMcpServerUrl("not a url", "not a url")).toBe(false);
  });
});
