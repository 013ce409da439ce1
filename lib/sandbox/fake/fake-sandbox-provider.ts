import "server-only";
import { SandboxError } from "../errors";
import type { ProvisionOptions, SandboxProvider } from "../types";
import { FakeSandbox, type FakeExecHandler } from "./fake-sandbox";

export interface FakeSandboxProviderOptions {
  /** Scripted command execution shared by every sandbox this provider makes. */
  exec?: FakeExecHandler;
  /** Files every new sandbox starts with (workspace paths). */
  files?: Record<string, string | Buffer>;
  /** Milliseconds provision() takes. */
  provisionDelayMs?: number;
}

/** A SandboxProvider for unit tests: in-memory sandboxes, every provision call recorded. */
export class FakeSandboxProvider implements SandboxProvider {
  readonly name = "fake";
  readonly provisionCalls: ProvisionOptions[] = [];
  readonly sandboxes: FakeSandbox[] = [];
  provisionDelayMs: number;
  private failProvisions = 0;

  constructor(private readonly options: FakeSandboxProviderOptions = {}) {
    this.provisionDelayMs = options.provisionDelayMs ?? 0;
  }

  /** Makes the next `count` provision calls fail with provision_failed. */
  failNextProvisions(count = 1): void {
    this.failProvisions = count;
  }

  /** The most recently provisioned sandbox. */
  get latest(): FakeSandbox | undefined {
    return this.sandboxes.at(-1);
  }

  async provision(options: ProvisionOptions): Promise<FakeSandbox> {
    this.provisionCalls.push(options);
    if (this.provisionDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.provisionDelayMs));
    if (this.failProvisions > 0) {
      this.failProvisions -= 1;
      throw new SandboxError("provision_failed", "injected provision failure");
    }
    const sandbox = new FakeSandbox({
      id: `sbx_fake_${this.sandboxes.length + 1}`,
      exec: this.options.exec,
      files: this.options.files,
    });
    this.sandboxes.push(sandbox);
    return sandbox;
  }
}
