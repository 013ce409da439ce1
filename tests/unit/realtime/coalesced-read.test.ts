import { describe, expect, it } from "vitest";
import { coalescedReads } from "@/lib/realtime/coalesced-read";

/** A read the test settles by hand, recording each call. */
function manualRead() {
  const calls: Array<{ key: string; resolve(value: string): void; reject(error: Error): void }> = [];
  const read = (key: string) => new Promise<string>((resolve, reject) => calls.push({ key, resolve, reject }));
  return { calls, read };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("coalescedReads", () => {
  it("answers a burst of identical reads with at most two reads, none started before the caller asked", async () => {
    const { calls, read } = manualRead();
    const get = coalescedReads(read);
    const first = get("k");
    const burst = Array.from({ length: 50 }, () => get("k"));
    expect(calls).toHaveLength(1); // the burst waits for the next read, not the one under way
    calls[0]!.resolve("before");
    expect(await first).toBe("before");
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("after");
    expect(new Set(await Promise.all(burst))).toEqual(new Set(["after"]));
    await tick();
    expect(calls).toHaveLength(2);
  });

  it("reads each key on its own, and again once nothing is under way", async () => {
    const { calls, read } = manualRead();
    const get = coalescedReads(read);
    const [a, b] = [get("a"), get("b")];
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
    calls[0]!.resolve("A");
    calls[1]!.resolve("B");
    expect([await a, await b]).toEqual(["A", "B"]);
    await tick();
    const again = get("a");
    expect(calls).toHaveLength(3);
    calls[2]!.resolve("A2");
    expect(await again).toBe("A2");
  });

  it("fails only the callers of the read that failed", async () => {
    const { calls, read } = manualRead();
    const get = coalescedReads(read);
    const first = get("k");
    const waiting = get("k");
    calls[0]!.reject(new Error("database unreachable"));
    await expect(first).rejects.toThrow("database unreachable");
    await tick();
    calls[1]!.resolve("fine");
    expect(await waiting).toBe("fine");
  });

  it("turns a read that throws at once into a rejection", async () => {
    const get = coalescedReads((key: string): Promise<string> => {
      throw new Error(`no ${key}`);
    });
    await expect(get("k")).rejects.toThrow("no k");
    await expect(get("k")).rejects.toThrow("no k");
  });
});
