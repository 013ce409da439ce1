import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { requirePostgres } from "@/tests/fixtures/postgres";

/**
 * Which answers the real server compresses for a client that accepts gzip: the API's JSON answers,
 * which server.ts writes itself (lib/api/dispatch/json-answer.ts), are gzipped when they answer a
 * read and are at least 1 KiB; writes and small reads go as they are, with their length; pages,
 * which Next serves, are gzipped.
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

  it("gzips the API's large reads only, and the pages", async () => {
    const created = await call("POST", "/v1/environments", { name: "compression" });
    expect(created.status).toBe(200);
    expect(created.headers.get("content-encoding")).toBeNull();
    const environment = (await created.json()) as { id: string; name: string };
    expect(environment.name).toBe("compression");
    expect(Number(created.headers.get("content-length"))).toBeGreaterThan(0);

    const small = await call("GET", `/v1/environments/${environment.id}`);
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(((await small.json()) as { id: string }).id).toBe(environment.id);

    for (let i = 0; i < 8; i++) await call("POST", "/v1/environments", { name: `compression ${i}`, metadata: { note: "x".repeat(200) } });
    const large = await call("GET", "/v1/environments?limit=20");
    expect(large.headers.get("content-encoding")).toBe("gzip");
    expect(large.headers.get("vary")).toBe("accept-encoding");
    const listed = (await large.json()) as { data: Array<{ name: string }> }; // fetch inflated it
    expect(listed.data.map((e) => e.name)).toContain("compression 7");
    // a client that does not accept gzip gets the same list as it is
    const plain = await fetch(`${app.url}/v1/environments?limit=20`, { headers: { "x-api-key": app.apiKey, "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(Number(plain.headers.get("content-length"))).toBeGreaterThan(1024);
    expect(((await plain.json()) as { data: unknown[] }).data).toEqual(listed.data);

    const refused = await call("POST", "/v1/environments", { name: "" });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-encoding")).toBeNull();
    expect(((await refused.json()) as { type: string }).type).toBe("error");

    const page = await fetch(`${app.url}/sign-in`, { headers: { "accept-encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
  });
});
