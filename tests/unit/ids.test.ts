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

  it("made in one millisecond, sort in the order they were made, and stay well formed", () => {
    const at = 1_800_000_000_000;
    const made = Array.from({ length: 1_000 }, (_, i) => newId(i % 2 ? "session" : "event", at).replace(/^[a-z]+_/, ""));
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => id.startsWith(newId("agent", at).slice("agent_".length, "agent_".length + 10)))).toBe(true); // one time part
    expect(made.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    // the next millisecond starts afresh and still sorts after
    expect(newId("event", at + 1).slice(5) > made.at(-1)!).toBe(true);
  });

  it("makes secret tokens with 256 bits of randomness", () => {
    const token = newSecretToken("oma_");
    expect(token).toMatch(/^oma_[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken("oma_")).not.toBe(token);
  });
});
