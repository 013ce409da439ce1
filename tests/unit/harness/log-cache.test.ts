import { describe, expect, it } from "vitest";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { TSessionRecord } from "@/lib/event-log/session-store";
import { LogCache } from "@/lib/harness/log-cache";

const session = (id: string) => ({ id }) as TSessionRecord;

/** A log of `length` events, contiguous from seq `from`. */
function log(sessionId: string, length: number, from = 1): TStoredEvent[] {
  return Array.from({ length }, (_, i) => ({ id: `${sessionId}-e${from + i}`, seq: from + i, sessionId }) as unknown as TStoredEvent);
}

describe("a worker's log cache", () => {
  it("completes a claim's page with the events kept before it, and says which seqs it keeps", () => {
    const cache = new LogCache();
    cache.remember("a", log("a", 5));
    expect(cache.known()).toEqual(new Map([["a", 5]]));
    expect(cache.knownSeq("a")).toBe(5);
    expect(cache.knownSeq("b")).toBeUndefined();

    const completed = cache.complete({ session: session("a"), events: log("a", 3, 4), afterSeq: 3 });
    expect(completed?.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(completed?.events.slice(0, 3)).toEqual(log("a", 3));
    expect(completed?.session).toEqual(session("a"));
    expect(completed?.afterSeq).toBe(3); // the claim's own page starts after it: the wake judges by that page whether it has the whole log
  });

  it("passes a page from the log's start through, and refuses one after a seq it does not keep", () => {
    const cache = new LogCache();
    const whole = { session: session("a"), events: log("a", 2), afterSeq: 0 };
    expect(cache.complete(whole)).toBe(whole);
    expect(cache.complete({ session: session("a"), events: log("a", 2) })).toEqual({ session: session("a"), events: log("a", 2) });
    expect(cache.complete({ session: session("b"), events: log("b", 1, 3), afterSeq: 2 })).toBeUndefined(); // not kept
    cache.remember("b", log("b", 2));
    expect(cache.complete({ session: session("b"), events: [], afterSeq: 4 })).toBeUndefined(); // kept only up to 2
  });

  it("keeps only logs contiguous from seq 1, and the longer of two for a session", () => {
    const cache = new LogCache();
    cache.remember("a", log("a", 3, 2)); // not from seq 1
    cache.remember("b", [...log("b", 2), ...log("b", 1, 4)]); // a gap
    cache.remember("c", []);
    expect(cache.known()).toEqual(new Map());
    cache.remember("a", log("a", 4));
    cache.remember("a", log("a", 2)); // an older wake's shorter view
    expect(cache.known()).toEqual(new Map([["a", 4]]));
    expect(cache.size).toEqual({ sessions: 1, events: 4 });
  });

  it("lets the least recently driven sessions go first when over its bounds, and never keeps a log over them alone", () => {
    const cache = new LogCache(10, 3);
    cache.remember("a", log("a", 4));
    cache.remember("b", log("b", 4));
    cache.remember("a", log("a", 5)); // driven again: now the most recent
    cache.remember("c", log("c", 2)); // 11 events: b goes
    expect([...cache.known().keys()]).toEqual(["a", "c"]);
    expect(cache.size).toEqual({ sessions: 2, events: 7 });
    cache.remember("d", log("d", 1));
    cache.remember("e", log("e", 1)); // a fourth session: a goes
    expect([...cache.known().keys()]).toEqual(["c", "d", "e"]);
    cache.remember("f", log("f", 11)); // longer than the bound by itself
    expect([...cache.known().keys()]).toEqual(["c", "d", "e"]);
    cache.forget("d");
    expect(cache.size).toEqual({ sessions: 2, events: 3 });
  });
});
