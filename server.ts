import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { apiRoutes } from "./app/v1/routes";
import { createDirectApi } from "./lib/api/dispatch/serve-api-directly";
import { log } from "./lib/log";
import { attachSocketServer, type TRealtime } from "./lib/realtime/socket-server";
import { boot, type BootedRuntime } from "./lib/server/boot";
import { inRequestTraceContext } from "./lib/telemetry/request-trace-context";
import { parseEnv, type TEnv } from "./lib/env";
import { projectRoot } from "./lib/project-root";

// One HTTP server on one port: the /v1 API's route handlers called directly, Next.js for pages
// and everything else, Socket.io for realtime.

/** The project folder (Next's app lives there), also when this file runs as the production bundle under .next/. */
const ROOT_DIR = projectRoot();
/** Open connections still busy after this long are cut during shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;
/** Signals this close together count as one (a terminal and a wrapper may both deliver it). */
const REPEAT_SIGNAL_WINDOW_MS = 1_000;

type TRequestHandler = ReturnType<ReturnType<typeof next>["getRequestHandler"]>;

interface Running {
  runtime?: BootedRuntime;
  app?: ReturnType<typeof next>;
  httpServer?: HttpServer;
  realtime?: TRealtime;
}

function exitWithError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(message.replace(/\s*\n\s*/g, " ").trim() + "\n");
  process.exit(1);
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function browserUrl(host: string, port: number): string {
  const local = ["0.0.0.0", "::", "127.0.0.1", "::1", "localhost"].includes(host);
  const name = local ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

async function start(env: TEnv, running: Running): Promise<void> {
  const dev = env.NODE_ENV !== "production";
  running.runtime = await boot(env);

  const httpServer = createServer();
  running.httpServer = httpServer;
  // Listen before Next is prepared, as `next start` does: with PORT=0 the system picks a free port,
  // and Next must be told the port it really serves on. Requests that come meanwhile wait for it.
  let prepared: (handle: TRequestHandler) => void = () => {};
  const handler = new Promise<TRequestHandler>((resolve) => (prepared = resolve));
  // Next's handler is attached first: Socket.io then takes over requests under its own path only.
  // Each request runs in its caller's trace context (`traceparent`), which the turns it wakes continue.
  // Decision: a /v1 request with a route and an exported method is served by calling that route's
  // handler here, without Next's router (about 3 ms a request and 10–15 % of the CPU under load);
  // everything else, unknown /v1 paths and methods included, goes to Next as before. Both wait
  // until Next is prepared, so start-up is ordered as before.
  const routeApi = createDirectApi(apiRoutes);
  httpServer.on("request", (req, res) => {
    const direct = routeApi(req);
    const serve = (handle: TRequestHandler) => (direct ? direct(res) : handle(req, res));
    handler.then((handle) => inRequestTraceContext(req.headers, () => serve(handle))).catch((error: unknown) => {
      log.error("request failed", { error, method: req.method, path: req.url?.split("?")[0] });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await listen(httpServer, env.PORT, env.HOST);
  const port = (httpServer.address() as AddressInfo).port;
  const app = next({ dev, dir: ROOT_DIR, hostname: env.HOST, port, httpServer });
  running.app = app;
  await app.prepare();
  prepared(app.getRequestHandler());

  // the log and bus it serves rooms from, and who may watch: an API key, a share link or a member's cookie
  running.realtime = await attachSocketServer(httpServer, { ...running.runtime.root.realtime, redisUrl: env.REDIS_URL });
  const { io } = running.realtime;
  running.runtime.observeViewers(() => io.of("/").sockets.size);

  for (const line of running.runtime.describe()) log.info(line);
  log.info(`ready on ${browserUrl(env.HOST, port)}`, {
    host: env.HOST,
    port,
    mode: dev ? "development" : "production",
  });
}

async function stop(running: Running): Promise<void> {
  const { httpServer, realtime, app, runtime } = running;
  // The harness first, beside the closing of connections: sessions it leaves are handed back now.
  const harnessStopped = runtime?.stopHarness().catch((error: unknown) => log.error("stopping the harness failed", { error }));
  const cut = setTimeout(() => httpServer?.closeAllConnections(), SHUTDOWN_GRACE_MS);
  cut.unref();
  try {
    if (realtime) {
      // Disconnects every socket, then closes the HTTP server it is attached to.
      await realtime.close();
    } else if (httpServer?.listening) {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    }
  } finally {
    clearTimeout(cut);
  }
  await app?.close();
  await harnessStopped;
  await runtime?.close();
}

function handleSignals(onFirstSignal: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      onFirstSignal(signal);
      return;
    }
    if (Date.now() - firstAt < REPEAT_SIGNAL_WINDOW_MS) return;
    log.warn("second signal, exiting immediately", { signal });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const running: Running = {};
  let starting: Promise<void> = Promise.resolve();

  handleSignals((signal) => {
    log.info("shutting down", { signal });
    starting
      .catch(() => undefined)
      .then(() => stop(running))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error("shutdown failed", { error });
          process.exit(1);
        },
      );
  });

  starting = start(env, running);
  try {
    await starting;
  } catch (error) {
    // Release what was opened (the embedded database's lock above all), but never hang here: a
    // failed start must end the process with its one-line error.
    const bounded = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([stop(running).catch(() => undefined), bounded]);
    throw error;
  }
}

main().catch(exitWithError);
