import { describe, expect, it } from "vitest";
import {
  compileCredentials,
  createPlaceholder,
  credentialsForHost,
  HeaderNotSafeError,
  substituteBody,
  substituteHeaderValue,
  type EgressCredential,
} from "@/lib/egress/substitution";

const P1 = "oma_egress_11111111111111111111111111111111";
const P2 = "oma_egress_22222222222222222222222222222222";
const V1 = "ghp_RealSecretValue0001";
const V2 = "sk_live_RealSecretValue0002";

const cred = (over: Partial<EgressCredential> = {}): EgressCredential => ({
  id: "vcrd_1",
  placeholder: P1,
  value: V1,
  allowedHosts: ["api.github.test"],
  injectIn: { header: true, body: false },
  ...over,
});

describe("createPlaceholder", () => {
  it("is random and valid as a placeholder", () => {
    const a = createPlaceholder();
    const b = createPlaceholder();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16,256}$/);
    expect(() => compileCredentials([cred({ placeholder: a })])).not.toThrow();
  });
});

describe("compileCredentials", () => {
  it.each([
    ["a short placeholder", { placeholder: "short" }, /placeholder/],
    ["a placeholder with spaces", { placeholder: "has spaces in it, too long" }, /placeholder/],
    ["an empty value", { value: "" }, /empty/],
    ["a value containing its placeholder", { value: `x${P1}x` }, /own placeholder/],
    ["a bad host pattern", { allowedHosts: ["https://x.test"] }, /not a host pattern/],
  ])("rejects %s", (_name, over, message) => {
    expect(() => compileCredentials([cred(over as Partial<EgressCredential>)])).toThrow(message);
  });

  it("rejects a placeholder that contains another one", () => {
    expect(() => compileCredentials([cred(), cred({ id: "vcrd_2", placeholder: `${P1}_more` })])).toThrow(/contains the placeholder of/);
  });

  it("error messages never contain the value", () => {
    try {
      compileCredentials([cred({ value: `x${P1}x` })]);
    } catch (error) {
      expect((error as Error).message).not.toContain("x" + P1);
      return;
    }
    throw new Error("expected an error");
  });
});

describe("credentialsForHost", () => {
  const creds = compileCredentials([
    cred(),
    cred({ id: "vcrd_2", placeholder: P2, value: V2, allowedHosts: ["*.stripe.test"] }),
    cred({ id: "vcrd_3", placeholder: "oma_egress_3333333333333333", value: "anything-goes", allowedHosts: "any" }),
  ]);
  it("matches exact hosts, wildcards and any", () => {
    expect(credentialsForHost(creds, "api.github.test").map((c) => c.id)).toEqual(["vcrd_1", "vcrd_3"]);
    expect(credentialsForHost(creds, "api.stripe.test").map((c) => c.id)).toEqual(["vcrd_2", "vcrd_3"]);
    expect(credentialsForHost(creds, "stripe.test").map((c) => c.id)).toEqual(["vcrd_3"]);
    expect(credentialsForHost(creds, "github.test").map((c) => c.id)).toEqual(["vcrd_3"]);
  });
});

describe("substituteHeaderValue", () => {
  const creds = compileCredentials([cred(), cred({ id: "vcrd_2", placeholder: P2, value: V2, injectIn: { header: false, body: true } })]);

  it("replaces every occurrence of a header-enabled placeholder", () => {
    const out = substituteHeaderValue("X-Token", `${P1},${P1}`, creds);
    expect(out.value).toBe(`${V1},${V1}`);
    expect(out.applied.map((c) => c.id)).toEqual(["vcrd_1"]);
  });

  it("leaves a body-only placeholder alone in headers", () => {
    const out = substituteHeaderValue("X-Token", `Bearer ${P2}`, creds);
    expect(out.value).toBe(`Bearer ${P2}`);
    expect(out.applied).toEqual([]);
  });

  it("leaves everything alone when no credential applies", () => {
    expect(substituteHeaderValue("Authorization", `Bearer ${P1}`, []).value).toBe(`Bearer ${P1}`);
  });

  it("replaces inside Basic credentials", () => {
    const header = `Basic ${Buffer.from(`x-access-token:${P1}`).toString("base64")}`;
    const out = substituteHeaderValue("authorization", header, creds);
    expect(out.value).toBe(`Basic ${Buffer.from(`x-access-token:${V1}`).toString("base64")}`);
    expect(out.applied.map((c) => c.id)).toEqual(["vcrd_1"]);
  });

  it("does not decode base64 in other headers", () => {
    const encoded = Buffer.from(`u:${P1}`).toString("base64");
    expect(substituteHeaderValue("X-Other", `Basic ${encoded}`, creds).value).toBe(`Basic ${encoded}`);
  });

  it("writes a non-ASCII value as its UTF-8 bytes (latin1, as Node sends header strings)", () => {
    const unicode = compileCredentials([cred({ value: "pässwörd-🔑" })]);
    const out = substituteHeaderValue("X-Token", P1, unicode);
    expect(Buffer.from(out.value, "latin1").toString("utf8")).toBe("pässwörd-🔑");
  });

  it("refuses a value with a line break (header injection)", () => {
    const unsafe = compileCredentials([cred({ value: "line1\r\nX-Evil: 1" })]);
    expect(() => substituteHeaderValue("X-Token", P1, unsafe)).toThrow(HeaderNotSafeError);
    // …but only when the placeholder is actually there.
    expect(substituteHeaderValue("X-Token", "nothing", unsafe).value).toBe("nothing");
  });
});

describe("substituteBody", () => {
  const creds = compileCredentials([
    cred({ injectIn: { header: true, body: true } }),
    cred({ id: "vcrd_2", placeholder: P2, value: V2, injectIn: { header: true, body: false } }),
  ]);

  it("replaces body-enabled placeholders only", () => {
    const out = substituteBody(Buffer.from(JSON.stringify({ a: P1, b: P2, c: `${P1}${P1}` })), creds);
    expect(JSON.parse(out.body.toString())).toEqual({ a: V1, b: P2, c: `${V1}${V1}` });
    expect(out.applied.map((c) => c.id)).toEqual(["vcrd_1"]);
  });

  it("is binary safe", () => {
    const bytes = Buffer.concat([Buffer.from([0, 255, 128, 10]), Buffer.from(P1), Buffer.from([200, 0])]);
    const out = substituteBody(bytes, creds);
    expect(out.body).toEqual(Buffer.concat([Buffer.from([0, 255, 128, 10]), Buffer.from(V1), Buffer.from([200, 0])]));
  });

  it("returns the same buffer when nothing applies", () => {
    const body = Buffer.from("no placeholders");
    expect(substituteBody(body, creds).body).toBe(body);
  });
});
