import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type LogLevel } from "@/lib/log";

describe("log lines inside a span", () => {
  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());

  function capture() {
    const lines: string[] = [];
    const logger = createLogger({ format: "json", write: (_level: LogLevel, line: string) => lines.push(line) });
    return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it("carry the span's trace_id and span_id, also after an await; none outside a span", async () => {
    const { logger, parsed } = capture();
    const tracer = new BasicTracerProvider().getTracer("test");
    logger.info("before");
    const ids = await tracer.startActiveSpan("work", async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.child({ component: "harness" }).warn("inside", { sessionId: "sesn_1" });
      span.end();
      return span.spanContext();
    });
    const [before, inside] = parsed();
    expect(before).not.toHaveProperty("trace_id");
    expect(inside).toMatchObject({ msg: "inside", component: "harness", sessionId: "sesn_1", trace_id: ids.traceId, span_id: ids.spanId });
  });

  it("carry no ids when tracing is off (no context is kept)", () => {
    context.disable();
    const { logger, parsed } = capture();
    const span = new BasicTracerProvider().getTracer("test").startSpan("ignored");
    context.with(trace.setSpan(context.active(), span), () => logger.info("line"));
    expect(parsed()[0]).not.toHaveProperty("trace_id");
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
});
