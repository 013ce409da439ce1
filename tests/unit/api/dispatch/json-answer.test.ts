import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GZIP_MIN_BYTES, jsonAnswerBody, mayGzip } from "@/lib/api/dispatch/json-answer";

describe("the API's JSON answers", () => {
  it("may be gzipped for reads whose client accepts gzip, never for writes", () => {
    expect(mayGzip("GET", "gzip, deflate, br")).toBe(true);
    expect(mayGzip("GET", "br;q=1.0, gzip;q=0.8")).toBe(true);
    expect(mayGzip("GET", "*")).toBe(true);
    expect(mayGzip("GET", "gzip;q=0")).toBe(false);
    expect(mayGzip("GET", "identity")).toBe(false);
    expect(mayGzip("GET", undefined)).toBe(false);
    expect(mayGzip("POST", "gzip")).toBe(false);
    expect(mayGzip("DELETE", "gzip")).toBe(false);
  });

  it("are gzipped from GZIP_MIN_BYTES on, and sent as they are below it", async () => {
    const large = JSON.stringify({ data: "x".repeat(GZIP_MIN_BYTES) });
    const zipped = await jsonAnswerBody(Response.json(JSON.parse(large)), true);
    expect(zipped.gzipped).toBe(true);
    expect(gunzipSync(zipped.body).toString()).toBe(large);
    expect(zipped.body.length).toBeLessThan(large.length);

    const small = await jsonAnswerBody(Response.json({ id: "env_1" }), true);
    expect(small).toEqual({ body: Buffer.from('{"id":"env_1"}'), gzipped: false });
    expect((await jsonAnswerBody(Response.json(JSON.parse(large)), false)).gzipped).toBe(false);
  });
});
