// A small structured logger: a static message plus structured fields.
// Production writes one JSON object per line; development writes a readable line.
// debug/info go to stdout, warn/error to stderr. Inside a span (when traces are exported), each line
// also carries the span's trace_id and span_id.

import { context, isSpanContextValid, trace } from "@opentelemetry/api";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line it writes. */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: "json" | "pretty";
  bindings?: LogFields;
  write?: (level: LogLevel, line: string) => void;
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

function defaultWrite(level: LogLevel, line: string): void {
  const stream = level === "warn" || level === "error" ? process.stderr : process.stdout;
  stream.write(line + "\n");
}

function serializeValue(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

function serializeFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) out[key] = serializeValue(value);
  }
  return out;
}

function formatPrettyValue(value: unknown): string {
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

function formatPretty(level: LogLevel, message: string, fields: LogFields): string {
  const time = new Date().toISOString().slice(11, 23);
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${formatPrettyValue(value)}`);
  return [time, level.toUpperCase().padEnd(5), message, ...pairs].join(" ");
}

/** The active span's ids; none outside a span (and always none when tracing is off: no context is kept). */
function traceFields(): LogFields {
  const span = trace.getSpanContext(context.active());
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS.indexOf(options.level ?? "info");
  const format = options.format ?? "pretty";
  const bindings = options.bindings ?? {};
  const write = options.write ?? defaultWrite;

  function emit(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (LEVELS.indexOf(level) < threshold) return;
    const data = serializeFields({ ...bindings, ...fields, ...traceFields() });
    const line =
      format === "json"
        ? JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...data })
        : formatPretty(level, message, data);
    write(level, line);
  }

  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (extra) => createLogger({ ...options, bindings: { ...bindings, ...extra } }),
  };
}

/** The process-wide logger, configured from `LOG_LEVEL` and `NODE_ENV`. */
const envLevel = process.env.LOG_LEVEL?.trim().toLowerCase();

export const log: Logger = createLogger({
  level: isLogLevel(envLevel) ? envLevel : "info",
  format: process.env.NODE_ENV === "production" ? "json" : "pretty",
});
