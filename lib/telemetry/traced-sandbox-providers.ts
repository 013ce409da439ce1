import "server-only";
import { context, SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import { ATTR_GEN_AI_CONVERSATION_ID } from "@opentelemetry/semantic-conventions/incubating";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { isSandboxError } from "@/lib/sandbox/errors";
import type { SandboxProviders } from "@/lib/sandbox/providers";
import type { ExecOptions, ExecResult, ProvisionOptions, Sandbox, SandboxProvider } from "@/lib/sandbox/types";
import { ATTR_PROCESS_EXIT_CODE, ATTR_SANDBOX_ID, ATTR_SANDBOX_PROVIDER, ATTR_SANDBOX_TIMED_OUT } from "./attributes";
import { egressSpans } from "./egress-spans";
import type { THarnessMetrics } from "./metrics";
import type { ToolCallSpans } from "./tool-call-spans";

type TOptions = { tracer: Tracer; tools: ToolCallSpans; metrics?: THarnessMetrics };

/**
 * Sandbox providers whose provisioning and commands are spans: `sandbox.provision` (provider,
 * sandbox id, how it failed) and `sandbox.exec` (exit code, timed out), children of the tool call
 * they serve, and `egress.request` spans for what the sandbox sends out (egress-spans.ts). A command's text is the model's output and is never recorded; its exit status is
 * also recorded on the tool call's span.
 */
export function withSandboxTracing(providers: SandboxProviders, options: TOptions): SandboxProviders {
  const traced = new WeakMap<SandboxProvider, SandboxProvider>();
  return {
    forEnvironment(config) {
      const provider = providers.forEnvironment(config);
      let wrapped = traced.get(provider);
      if (!wrapped) traced.set(provider, (wrapped = traceProvider(provider, options)));
      return wrapped;
    },
    shutdown: () => providers.shutdown(),
  };
}

function traceProvider(provider: SandboxProvider, { tracer, tools, metrics }: TOptions): SandboxProvider {
  return {
    name: provider.name,
    provision(options: ProvisionOptions): Promise<Sandbox> {
      const attributes = { [ATTR_SANDBOX_PROVIDER]: provider.name, [ATTR_GEN_AI_CONVERSATION_ID]: options.sessionId };
      return tracer.startActiveSpan("sandbox.provision", { attributes }, tools.parentFor(options.sessionId, context.active()), async (span) => {
        try {
          const sandbox = await provider.provision({ ...options, egressObserver: egressSpans(tracer, tools, options.sessionId) });
          span.setAttribute(ATTR_SANDBOX_ID, sandbox.id);
          metrics?.sandboxProvisions.add(1, { [ATTR_SANDBOX_PROVIDER]: provider.name, outcome: "ready" });
          return traceSandbox(sandbox, options.sessionId, provider.name, { tracer, tools });
        } catch (error) {
          failed(span, isSandboxError(error) ? error.code : "_OTHER");
          metrics?.sandboxProvisions.add(1, { [ATTR_SANDBOX_PROVIDER]: provider.name, outcome: "failed" });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}

function traceSandbox(sandbox: Sandbox, sessionId: string, provider: string, { tracer, tools }: TOptions): Sandbox {
  return {
    id: sandbox.id,
    exec(command: string, options?: ExecOptions): Promise<ExecResult> {
      const attributes = { [ATTR_SANDBOX_PROVIDER]: provider, [ATTR_SANDBOX_ID]: sandbox.id };
      return tracer.startActiveSpan("sandbox.exec", { attributes }, tools.parentFor(sessionId, context.active()), async (span) => {
        try {
          const result = await sandbox.exec(command, options);
          const exit = { [ATTR_SANDBOX_TIMED_OUT]: result.timedOut, ...(result.exitCode === null ? {} : { [ATTR_PROCESS_EXIT_CODE]: result.exitCode }) };
          span.setAttributes(exit);
          if (!options?.bookkeeping) tools.recordExit(sessionId, exit);
          if (result.timedOut) failed(span, "timeout");
          return result;
        } catch (error) {
          failed(span, isSandboxError(error) ? error.code : "_OTHER");
          throw error;
        } finally {
          span.end();
        }
      });
    },
    readFile: (path) => sandbox.readFile(path),
    writeFile: (path, content) => sandbox.writeFile(path, content),
    writeMount: (name, files) => sandbox.writeMount(name, files),
    readMount: (name, options) => sandbox.readMount(name, options),
    attach: (change) => sandbox.attach(change),
    destroy: () => sandbox.destroy(),
    isAlive: () => sandbox.isAlive(),
  };
}

function failed(span: Span, type: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}
