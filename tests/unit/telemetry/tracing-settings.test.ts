import { describe, expect, it } from "vitest";
import { tracingSettingsFromEnv } from "@/lib/telemetry/tracing-settings";

describe("tracing settings from the OTEL_* variables", () => {
  it("are off when nothing asks for traces, or when they are disabled", () => {
    expect(tracingSettingsFromEnv({})).toEqual({ enabled: false });
    expect(tracingSettingsFromEnv({ OTEL_SERVICE_NAME: "x", OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toEqual({ enabled: false });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" })).toEqual({ enabled: false });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toEqual({ enabled: false });
  });

  it("export over OTLP/HTTP (protobuf unless told json) when an endpoint is set", () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toEqual({ enabled: true, exporters: ["otlp"], protocol: "http/protobuf", captureContent: false });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toMatchObject({ protocol: "http/json" });
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf" })).toMatchObject({ protocol: "http/protobuf" });
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: "console" })).toMatchObject({ enabled: true, exporters: ["console"] });
  });

  it("capture message content only when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT is true", () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" };
    expect(tracingSettingsFromEnv({ ...on, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "true" })).toMatchObject({ captureContent: true });
    expect(tracingSettingsFromEnv({ ...on, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "1" })).toMatchObject({ captureContent: false });
  });

  it("refuse what this server cannot export, naming the variable", () => {
    expect(() => tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER: unsupported exporter "zipkin"/);
    expect(() => tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: unsupported protocol "grpc"/);
  });
});
