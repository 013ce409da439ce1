import { describe, expect, it } from "vitest";
import { LocalPresenceClock } from "@/lib/realtime/presence-clock";

describe("LocalPresenceClock", () => {
  it("gives strictly increasing versions, above any earlier process's", async () => {
    const before = Date.now() * 1000;
    const clock = new LocalPresenceClock();
    const versions = await Promise.all(Array.from({ length: 100 }, () => clock.next()));
    expect(versions[0]).toBeGreaterThanOrEqual(before);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
  });
});
