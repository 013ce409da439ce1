import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, toModelError } from "@/lib/model/map-anthropic-error";
import { createRedactor, describeBaseUrl } from "@/lib/model/redact-secrets";

const keep = (text: string) => text;

/** An error the API reported inside a 200 event stream: no status, only a type. */
function streamError(type: string, message: string): APIError {
  return new Anthropic.APIError(undefined, { type: "error", error: { type, message } }, undefined, new Headers(), type as never);
}

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms first, then retry-after in seconds or as a date", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "250.4", "retry-after": "9" }), now)).toBe(250);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Tue, 01 Jan 2030 00:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe("toModelError", () => {
  it("maps errors reported mid-stream by their type", () => {
    expect(toModelError(streamError("rate_limit_error", "slow"), keep)).toMatchObject({
      kind: "model_rate_limited_error",
      retryable: true,
      status: undefined,
    });
    expect(toModelError(streamError("api_error", "oops"), keep)).toMatchObject({
      kind: "model_request_failed_error",
      retryable: true,
    });
    expect(toModelError(streamError("invalid_request_error", "bad"), keep)).toMatchObject({
      kind: "model_request_failed_error",
      retryable: false,
    });
  });

  it("treats timeouts and errors that are not HTTP errors as retryable failures", () => {
    expect(toModelError(new Anthropic.APIConnectionTimeoutError(), keep)).toMatchObject({
      kind: "model_request_failed_error",
      retryable: true,
    });
    const cut = toModelError(new Anthropic.AnthropicError("stream ended without producing a Message"), keep);
    expect(cut).toMatchObject({ kind: "model_request_failed_error", retryable: true });
    expect(cut.message).toMatch(/ended before it was complete/);
  });

  it("runs every message through the redactor", () => {
    const redact = createRedactor(["s3cret-key"]);
    const error = toModelError(new Anthropic.APIConnectionError({ message: "failed with s3cret-key" }), redact);
    expect(error.message).not.toContain("s3cret-key");
  });
});

describe("createRedactor", () => {
  it("replaces secrets, also URL-encoded, and leaves other text alone", () => {
    const redact = createRedactor(["a/b+c=", undefined, ""]);
    expect(redact("key a/b+c= and a%2Fb%2Bc%3D here")).toBe("key [redacted] and [redacted] here");
    expect(redact("nothing to hide")).toBe("nothing to hide");
  });
});

describe("describeBaseUrl", () => {
  it("drops user info, query, fragment and a trailing slash", () => {
    expect(describeBaseUrl("https://u:p@gateway.example:8443/anthropic/?token=t#x")).toBe(
      "https://gateway.example:8443/anthropic",
    );
    expect(describeBaseUrl("https://api.anthropic.com")).toBe("https://api.anthropic.com");
  });

  it("refuses an invalid URL without repeating it", () => {
    expect(() => describeBaseUrl("not a url with secret-value")).toThrow(/not a valid URL/);
    expect(() => describeBaseUrl("not a url with secret-value")).not.toThrow(/secret-value/);
  });
});
