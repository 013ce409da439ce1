/**
 * `npm run hands -- --environment <env_id> [--workdir <dir>] [--max-idle-ms <ms>]`: a worker for a
 * self-hosted environment, on whatever machine it runs: it polls the environment's work queue on
 * the platform at ANTHROPIC_BASE_URL with the key in ANTHROPIC_API_KEY (the environment's own key,
 * or a team API key), and for each
 * session it is handed runs the session's built-in tools (bash, read, write, edit, glob, grep) in
 * `--workdir` (default: the current directory), posting their results back. It is the official
 * SDK's own worker (`client.beta.environments.work.worker`) with its default toolset, unchanged:
 * the tools run directly on this machine, as that worker is designed to. Stops on SIGINT/SIGTERM.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import Anthropic from "@anthropic-ai/sdk";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: { environment: { type: "string" }, workdir: { type: "string" }, "max-idle-ms": { type: "string" } },
});
const environmentId = values.environment || fail("usage: npm run hands -- --environment <env_id> [--workdir <dir>] [--max-idle-ms <ms>]");
const key = process.env.ANTHROPIC_API_KEY || fail("ANTHROPIC_API_KEY: set it to a key of the environment (from its page in the web app) or an API key of its team");
const baseURL = process.env.ANTHROPIC_BASE_URL || fail("ANTHROPIC_BASE_URL: set it to the platform's URL (e.g. http://localhost:3000)");
const workdir = path.resolve(values.workdir ?? process.cwd());
const maxIdleMs = values["max-idle-ms"] === undefined ? undefined : Number(values["max-idle-ms"]);
if (maxIdleMs !== undefined && !(Number.isInteger(maxIdleMs) && maxIdleMs > 0)) fail("--max-idle-ms: a positive integer");

const client = new Anthropic({ apiKey: key, baseURL, logLevel: "info" });
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());

process.stdout.write(`hands: polling environment ${environmentId} at ${baseURL}, tools run in ${workdir}\n`);
await client.beta.environments.work.worker({ environmentId, environmentKey: key, workdir, ...(maxIdleMs ? { maxIdleMs } : {}) }).run(stop.signal);
process.stdout.write("hands: stopped\n");
