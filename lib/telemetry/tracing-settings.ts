import "server-only";

/**
 * Whether this process exports traces, read from the standard OpenTelemetry variables (the SDK's
 * exporters read the rest themselves: endpoints, headers, timeouts, compression, batch sizes,
 * sampler, resource attributes). Tracing is on when an OTLP endpoint is set
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER`
 * names an exporter; `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off. Off, no
 * SDK is loaded: spans are the API's no-op ones.
 */
export type TTracingSettings =
  | { enabled: false }
  | {
      enabled: true;
      exporters: ("otlp" | "console")[];
      /** `http/protobuf` (the specification's default) or `http/json`. */
      protocol: "http/protobuf" | "http/json";
      /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: prompts and outputs go into spans. */
      captureContent: boolean;
    };

type TOtelEnv = Record<string, string | undefined>;

const EXPORTERS = ["otlp", "console", "none"] as const;
const PROTOCOLS = ["http/protobuf", "http/json"] as const;

/** Throws with a message naming the variable when a value is not one this server supports. */
export function tracingSettingsFromEnv(env: TOtelEnv): TTracingSettings {
  if (isTrue(env.OTEL_SDK_DISABLED)) return { enabled: false };
  const named = list(env.OTEL_TRACES_EXPORTER);
  for (const name of named) {
    if (!(EXPORTERS as readonly string[]).includes(name)) throw new Error(`OTEL_TRACES_EXPORTER: unsupported exporter "${name}" (supported: ${EXPORTERS.join(", ")})`);
  }
  const endpoint = Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
  if (named.includes("none")) return { enabled: false };
  const exporters = (named.length > 0 ? named : endpoint ? ["otlp"] : []) as ("otlp" | "console")[];
  if (exporters.length === 0) return { enabled: false };
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() || env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || "http/protobuf").toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    const variable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
    throw new Error(`${variable}: unsupported protocol "${protocol}" (supported: ${PROTOCOLS.join(", ")})`);
  }
  return {
    enabled: true,
    exporters,
    protocol: protocol as (typeof PROTOCOLS)[number],
    captureContent: isTrue(env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT),
  };
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
}
