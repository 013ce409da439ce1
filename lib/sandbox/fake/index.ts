import "server-only";
export { FakeSandbox } from "./fake-sandbox";
export type { FakeExecCall, FakeExecContext, FakeExecHandler, FakeSandboxOptions } from "./fake-sandbox";
export { FakeSandboxProvider } from "./fake-sandbox-provider";
export type { FakeSandboxProviderOptions } from "./fake-sandbox-provider";
