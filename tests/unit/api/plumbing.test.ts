import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/resource/cursor";
import { errorResponse } from "@/lib/api/error-response";
import { queryArray, queryLimit } from "@/lib/resource/query";
import { readJsonBody } from "@/lib/api/read-json-body";
import { AppError } from "@/lib/errors";

const bodyOf = (text: string, headers: Record<string, string> = {}) => new Request("http://x/v1", { method: "POST", body: text, headers });

describe("readJsonBody", () => {
  it("parses an object and refuses everything else with a clear message", async () => {
    expect(await readJsonBody(bodyOf('{"a":1}'))).toEqual({ a: 1 });
    await expect(readJsonBody(bodyOf("{"))).rejects.toThrow(/not valid JSON/);
    await expect(readJsonBody(bodyOf("[1]"))).rejects.toThrow(/JSON object/);
    await expect(readJsonBody(bodyOf("  "))).rejects.toThrow(/empty/);
  });

  it("refuses a body over the limit while reading it, whatever content-length claims", async () => {
    const big = JSON.stringify({ a: "x".repeat(2000) });
    await expect(readJsonBody(bodyOf(big), 1000)).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(readJsonBody(bodyOf(big, { "content-length": "10" }), 1000)).rejects.toMatchObject({ code: "payload_too_large" });
  });
});

describe("errorResponse", () => {
  it("maps codes to statuses in the Anthropic envelope, hiding unexpected errors", async () => {
    const notFound = errorResponse(new AppError("not_found", "session sesn_x not found"), "req_1");
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ type: "error", error: { type: "not_found_error", message: "session sesn_x not found" }, request_id: "req_1" });
    const conflict = errorResponse(new AppError("conflict", "version mismatch"), "req_2");
    expect([conflict.status, conflict.headers.get("x-should-retry")]).toEqual([409, "false"]);
    const limited = errorResponse(new AppError("rate_limited", "slow down", { retryAfterSeconds: 3 }), "req_3");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    const coded = await errorResponse(new AppError("invalid_request", "archived", { errorCode: "environment_archived" }), "req_4").json();
    expect(coded.error.details).toEqual({ error_code: "environment_archived" });
    const crash = errorResponse(new Error("password=hunter2 in a stack"), "req_5");
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain("hunter2");
  });
});

describe("cursors and queries", () => {
  it("round-trips cursors and refuses foreign ones", () => {
    expect(decodeCursor(encodeCursor({ id: "sesn_1", dir: "next" }))).toEqual({ id: "sesn_1", dir: "next" });
    expect(() => decodeCursor("%%%")).toThrow(/page/);
    expect(() => decodeCursor(Buffer.from("[1]").toString("base64url"))).toThrow(/page/);
  });

  it("reads arrays in both encodings and bounds limit", () => {
    expect(queryArray(new URLSearchParams("types[]=a&types[]=b&types=c"), "types")).toEqual(["a", "b", "c"]);
    expect(queryLimit(new URLSearchParams("limit=1000"))).toBe(1000);
    for (const bad of ["0", "1001", "1.5", "-1", "ten"]) expect(() => queryLimit(new URLSearchParams(`limit=${bad}`))).toThrow(/limit/);
  });
});

describe("AppError across module copies", () => {
  it("is recognised when thrown by another copy of lib/errors (server vs bundled route code)", async () => {
    // a second, independent copy of the module, as Next's bundle and the tsx-loaded server have
    const copy = (await import(/* @vite-ignore */ `../../../lib/errors.ts?copy=${Date.now()}`)) as typeof import("@/lib/errors");
    expect(copy.AppError).not.toBe(AppError);
    const foreign = new copy.AppError("rate_limited", "slow down", { retryAfterSeconds: 2 });
    expect(foreign instanceof AppError).toBe(true);
    expect(errorResponse(foreign, "req_x").status).toBe(429);
    expect(new Error("plain") instanceof AppError).toBe(false);
    expect(new AppError("not_found", "x") instanceof copy.NotFoundError).toBe(false);
  });
});
