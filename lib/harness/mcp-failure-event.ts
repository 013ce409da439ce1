import "server-only";
import type { TMcpFailure } from "@/lib/mcp/session-mcp-clients";
import type { TEventBody } from "@/lib/event-log/events";

/**
 * The `session.error` for an MCP server that could not be reached (`mcp_connection_failed_error`)
 * or refused the credential (`mcp_authentication_failed_error`), naming the server. Decision:
 * `retry_status: retrying` — the session goes on (without the server's tools, or with the failed
 * call's error result for the model), and the server is connected again at the next wake or call.
 * The message is the connector's own, redacted of the token.
 */
export function mcpFailureEvent(failure: TMcpFailure): TEventBody {
  return {
    type: "session.error",
    error: {
      type: failure.kind === "authentication" ? "mcp_authentication_failed_error" : "mcp_connection_failed_error",
      message: failure.message,
      mcp_server_name: failure.serverName,
      retry_status: { type: "retrying" },
    },
  };
}
