import { describe, expect, it } from "vitest";
import { isId, newId, newSecretToken } from "@/lib/ids";

describe("ids", () => {
  it("have the wire prefix and 26 base32 characters", () => {
    expect(newId("session")).toMatch(/^sesn_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newId("event")).toMatch(/^sevt_/);
    expect(newId("agent")).toMatch(/^agent_/);
    expect(newId("environment")).toMatch(/^env_/);
    expect(newId("vault")).toMatch(/^vlt_/);
    expect(newId("credential")).toMatch(/^vcrd_/);
    expect(isId("session", newId("session"))).toBe(true);
    expect(isId("session", newId("event"))).toBe(false);
    expect(isId("session", "sesn_../../etc")).toBe(false);
  });

  it("sort by creation time and do not collide", () => {
    const earlier = newId("agent", 1_700_000_000_000);
    const later = newId("agent", 1_700_000_000_001);
    expect(earlier < later).toBe(true);
    const many = new Set(Array.from({ length: 10_000 }, () => newId("event", 1_700_000_000_000)));
    expect(many.size).toBe(10_000);
  });

  it("makes secret tokens with 256 bits of randomness", () => {
    const token = newSecretToken("oma_");
    expect(token).toMatch(/^oma_[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken("oma_")).not.toBe(token);
  });
});
