import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";

/**
 * Which answers the real server compresses for a client that accepts gzip: the API's answers, which
 * server.ts writes itself (lib/api/dispatch), go uncompressed, reads as well as writes (README, "The
 * HTTP API": a few hundred bytes each, where a zlib stream each cost more than it saved); the pages,
 * which Next serves, stay gzipped.
 */
const available = await requirePostgres("the response compression suite");

describe.runIf(available)("response compression", () => {
  let app: AppServer;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { "x-api-key": app.apiKey, "accept-encoding": "gzip", ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("answers the API's writes and reads uncompressed, the pages gzipped", async () => {
    const created = await call("POST", "/v1/environments", { name: "compression" });
    expect(created.status).toBe(200);
    expect(created.headers.get("content-encoding")).toBeNull();
    const environment = (await created.json()) as { id: string; name: string };
    expect(environment.name).toBe("compression");

    const read = await call("GET", `/v1/environments/${environment.id}`);
    expect(read.headers.get("content-encoding")).toBeNull();
    expect(((await read.json()) as { id: string }).id).toBe(environment.id);

    const refused = await call("POST", "/v1/environments", { name: "" });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-encoding")).toBeNull();
    expect(((await refused.json()) as { type: string }).type).toBe("error");

    const deleted = await call("DELETE", `/v1/environments/${environment.id}`);
    expect(deleted.headers.get("content-encoding")).toBeNull();

    const page = await fetch(`${app.url}/sign-in`, { headers: { "accept-encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
  });
});
