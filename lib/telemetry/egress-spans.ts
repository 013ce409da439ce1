import "server-only";
import { SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
} from "@opentelemetry/semantic-conventions";
import { ATTR_HTTP_REQUEST_BODY_SIZE, ATTR_HTTP_RESPONSE_BODY_SIZE } from "@opentelemetry/semantic-conventions/incubating";
import type { ProvisionOptions } from "@/lib/sandbox/types";
import { ATTR_EGRESS_INTERCEPTED } from "./attributes";
import type { ToolCallSpans } from "./tool-call-spans";

/**
 * The requests a session's sandbox sends out through its egress proxy, as `egress.request` client
 * spans under the tool call that made them: method, host, port, scheme, status and bytes each way
 * (OpenTelemetry's HTTP attributes). Never a path, a query, a header or a body: the proxy does not
 * tell them (lib/egress/egress-observer.ts). A request made while no call of the session is open (a
 * process the sandbox left running) is not traced; the proxy's log still records it.
 */
/** The egress proxy's observer (lib/egress/egress-observer.ts), as a sandbox's provisioning takes it. */
type EgressObserver = NonNullable<ProvisionOptions["egressObserver"]>;

export function egressSpans(tracer: Tracer, tools: ToolCallSpans, sessionId: string): EgressObserver {
  return (request) => {
    const parent = tools.callContext(sessionId);
    if (!parent) return () => {};
    const span = tracer.startSpan(
      "egress.request",
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_SCHEME]: request.scheme,
          [ATTR_SERVER_ADDRESS]: request.host,
          [ATTR_SERVER_PORT]: request.port,
          [ATTR_EGRESS_INTERCEPTED]: request.intercepted,
        },
      },
      parent,
    );
    return (outcome) => {
      span.setAttributes({ [ATTR_HTTP_REQUEST_BODY_SIZE]: outcome.requestBytes, [ATTR_HTTP_RESPONSE_BODY_SIZE]: outcome.responseBytes });
      if (outcome.status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
      const error = outcome.error ?? (outcome.status !== null && outcome.status >= 500 ? String(outcome.status) : null);
      if (error) {
        span.setAttribute(ATTR_ERROR_TYPE, error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      }
      span.end();
    };
  };
}
