import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { buildReason, ROOT, SERVER_BUNDLE } from "./build-reason";
import { bundleServer } from "./bundle-server";

// `npm start`: install the system packages tools need if missing, build the app (`next build`, then
// the server's bundle) if the build is missing or older than the sources, then run the production
// server's bundle, forwarding signals to it and exiting with its exit code.

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

let child: ChildProcess | undefined;
let stopSignal: NodeJS.Signals | undefined;

function forward(signal: NodeJS.Signals): void {
  stopSignal ??= signal;
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  else process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}
process.on("SIGINT", forward);
process.on("SIGTERM", forward);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      child = undefined;
      resolve(code ?? (signal ? (SIGNAL_EXIT_CODES[signal] ?? 1) : 1));
    });
  });
}

/**
 * The system packages the server's tools need (bubblewrap and the rest: scripts/install-system-deps.sh
 * --runtime), installed when missing: as root, or through sudo (which may ask for a password on
 * this terminal, hence stdin). When that cannot be done the script prints the exact command; the
 * server still starts, and tool calls fail saying bubblewrap is missing until it is installed.
 */
function installSystemPackages(): Promise<number> {
  return new Promise((resolve) => {
    const setup = spawn("bash", [join(ROOT, "scripts", "install-system-deps.sh"), "--runtime"], { cwd: ROOT, stdio: "inherit" });
    setup.once("error", () => resolve(1));
    setup.once("exit", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if ((await installSystemPackages()) !== 0) console.warn("starting without the missing system packages: tool calls will fail until they are installed");
  if (stopSignal) return SIGNAL_EXIT_CODES[stopSignal] ?? 1;
  const reason = buildReason();
  if (reason) {
    console.log(`building the app (${reason})…`);
    const code = await run(join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    if (stopSignal) return SIGNAL_EXIT_CODES[stopSignal] ?? 1;
    if (code !== 0) {
      console.error(`the build failed (exit code ${code}); the server was not started`);
      return code;
    }
    await bundleServer();
    console.log("build finished");
  } else {
    console.log("using the existing build");
  }

  console.log("starting the server…");
  // the server's production bundle (scripts/bundle-server.ts), with plain Node
  return run(process.execPath, ["--enable-source-maps", SERVER_BUNDLE], {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
