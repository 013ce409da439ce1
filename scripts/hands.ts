/**
 * `npm run hands -- --environment <env_id> [--workdir <dir>] [--sandbox bubblewrap|none] [--max-idle-ms <ms>] [--sessions <n>]`:
 * a worker for a self-hosted environment, on whatever machine it runs: it polls the environment's
 * work queue on the platform at ANTHROPIC_BASE_URL with the key in ANTHROPIC_API_KEY (the
 * environment's own key, or a team API key), and for each session it is handed runs the session's
 * built-in tools (bash, read, write, edit, glob, grep), posting their results back. It is the
 * official SDK's own worker (`client.beta.environments.work.worker`). Stops on SIGINT/SIGTERM.
 *
 * `--sandbox bubblewrap` (the default): the worker gets our built-in tools, run in a local
 * bubblewrap sandbox per session (lib/environments/hands), whose workspace (`/workspace` inside)
 * is `<workdir>/<session id>`. Decisions: the workspace is kept when the session's item ends, so a
 * session that comes back finds its files (delete the directory to reclaim the space); the sandbox
 * has the machine's network, unrestricted (the operator's firewall is what limits it), when the
 * worker runs as root, and no network otherwise (network namespaces need root). The session's
 * memory stores, which the SDK's worker syncs at their mount paths on this machine
 * (`/mnt/memory/<name>`), are bound into the sandbox at the same paths.
 * `--sandbox none`: the SDK's default toolset, unchanged: the tools run directly on this machine
 * in `--workdir` (it needs Node 22 for its glob tool).
 * `--sessions <n>` (default 1): serve up to n sessions at once. The SDK's worker serves one
 * session at a time (it keeps its item until the session has been idle for `maxIdleMs`), so this
 * runs n of them in the process, each polling on its own and sharing the sandboxes' provider.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import Anthropic from "@anthropic-ai/sdk";
import { sandboxedToolset, sessionMemoryMounts, type TWorkerToolContext } from "@/lib/environments/hands/sandboxed-toolset";
import { LocalSandboxProvider } from "@/lib/sandbox/local";
import { blockedParent } from "@/lib/sandbox/local/sandbox-root";
import { SANDBOX_GID, SANDBOX_UID } from "@/lib/sandbox/local/bwrap-command";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    environment: { type: "string" },
    workdir: { type: "string" },
    sandbox: { type: "string" },
    "max-idle-ms": { type: "string" },
    sessions: { type: "string" },
  },
});
const environmentId = values.environment || fail("usage: npm run hands -- --environment <env_id> [--workdir <dir>] [--sandbox bubblewrap|none] [--max-idle-ms <ms>] [--sessions <n>]");
const sandbox = values.sandbox ?? "bubblewrap";
if (sandbox !== "bubblewrap" && sandbox !== "none") fail("--sandbox: bubblewrap or none");
const key = process.env.ANTHROPIC_API_KEY || fail("ANTHROPIC_API_KEY: set it to a key of the environment (from its page in the web app) or an API key of its team");
const baseURL = process.env.ANTHROPIC_BASE_URL || fail("ANTHROPIC_BASE_URL: set it to the platform's URL (e.g. http://localhost:3000)");
const workdir = path.resolve(values.workdir ?? process.cwd());
const maxIdleMs = values["max-idle-ms"] === undefined ? undefined : Number(values["max-idle-ms"]);
if (maxIdleMs !== undefined && !(Number.isInteger(maxIdleMs) && maxIdleMs > 0)) fail("--max-idle-ms: a positive integer");
const sessions = Number(values.sessions ?? "1");
if (!(Number.isInteger(sessions) && sessions >= 1 && sessions <= 64)) fail("--sessions: an integer from 1 to 64");

const isRoot = process.getuid?.() === 0;
if (sandbox === "bubblewrap" && isRoot) {
  // a root worker runs its sandboxes as an unprivileged user, who must pass through the workdir
  const blocked = blockedParent(workdir, { uid: SANDBOX_UID, gid: SANDBOX_GID });
  if (blocked) fail(`--workdir ${workdir}: the sandbox user (uid ${SANDBOX_UID}) cannot pass through ${blocked.dir}; choose a directory whose every parent is world-traversable (o+x)`);
}

const client = new Anthropic({ apiKey: key, baseURL, logLevel: "info" });
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());

const provider =
  sandbox === "bubblewrap"
    ? new LocalSandboxProvider({ rootDir: workdir, workspaces: "per-session", egress: { caDir: path.join(workdir, ".egress-ca") } })
    : undefined;
const tools = provider
  ? (ctx: TWorkerToolContext & { sessionId?: string }) =>
      sandboxedToolset({ provider, sessionId: ctx.session?.id ?? ctx.sessionId ?? "session", network: { type: "unrestricted" }, memoryMounts: sessionMemoryMounts(ctx) })
  : undefined;

process.stdout.write(
  provider
    ? `hands: tools run in a bubblewrap sandbox per session, workspaces in ${workdir}/<session id> (/workspace inside), network ${isRoot ? "unrestricted" : "none (not root)"}\n`
    : `hands: tools run unsandboxed on this machine in ${workdir} (--sandbox none)\n`,
);
process.stdout.write(`hands: polling environment ${environmentId} at ${baseURL}${sessions > 1 ? `, up to ${sessions} sessions at once` : ""}\n`);
try {
  const worker = () => client.beta.environments.work.worker({ environmentId, environmentKey: key, workdir, ...(tools ? { tools } : {}), ...(maxIdleMs ? { maxIdleMs } : {}) });
  await Promise.all(Array.from({ length: sessions }, () => worker().run(stop.signal)));
} finally {
  await provider?.shutdown();
}
process.stdout.write("hands: stopped\n");
