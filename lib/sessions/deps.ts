import type { TRuntime } from "@/lib/server/runtime";

/** What the session use-cases need, from the booted runtime. */
export function sessionDeps(runtime: TRuntime) {
  return {
    prisma: runtime.db.prisma,
    store: runtime.sessions,
    bus: runtime.bus,
    onWake: () => runtime.harness.worker.notify(),
  };
}
