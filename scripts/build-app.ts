import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./build-reason";

/**
 * `npm run build`, synchronously, for the test suite's global setup and the benchmarks: `next
 * build`, then the production server's bundle (scripts/bundle-server.ts). Throws with the output
 * of the step that failed.
 */
export function buildAppSync(): void {
  const steps: Array<[string, string, string[]]> = [
    ["next build", join(ROOT, "node_modules", ".bin", "next"), ["build"]],
    ["bundling the server", process.execPath, ["--import", "./scripts/node-hooks.mjs", "scripts/bundle-server.ts"]],
  ];
  for (const [what, command, args] of steps) {
    const step = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }, encoding: "utf8" });
    if (step.status !== 0) throw new Error(`${what} failed:\n${step.stdout}\n${step.stderr}`);
  }
}
