import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/**
 * A collector's front door for tests: accepts OTLP/HTTP trace exports (`POST /v1/traces`) with the
 * JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, the protobuf messages' canonical JSON
 * mapping), keeps every body byte for byte, and flattens the spans for assertions.
 */
export type TReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
};

export type OtlpReceiver = {
  /** The base URL, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  url: string;
  /** Every export body as received (decompressed). */
  bodies: Buffer[];
  spans(): TReceivedSpan[];
  close(): Promise<void>;
};

type TAnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: TAnyValue[] } };
type TKeyValue = { key: string; value: TAnyValue };

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      bodies.push(req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    spans: () => bodies.flatMap((body) => spansOf(JSON.parse(body.toString("utf8")))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function spansOf(request: { resourceSpans?: Array<{ resource?: { attributes?: TKeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string }; spans?: unknown[] }> }> }): TReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((raw) => {
        const span = raw as {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind: number;
          startTimeUnixNano: string | number;
          endTimeUnixNano: string | number;
          status?: { code?: number };
          attributes?: TKeyValue[];
        };
        return {
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: span.kind,
          startNs: BigInt(span.startTimeUnixNano),
          endNs: BigInt(span.endTimeUnixNano),
          statusCode: span.status?.code ?? 0,
          attributes: attributesOf(span.attributes),
          resource: attributesOf(rs.resource?.attributes),
          scope: ss.scope?.name ?? "",
        };
      }),
    ),
  );
}

function attributesOf(list: TKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: TAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}
