import { describe, expect, it } from "vitest";
import { PreparedNames } from "@/lib/db/direct-sql";

describe("the names statements are prepared under on PostgreSQL", () => {
  it("are one per text, the same every time, and different for different texts", () => {
    const names = new PreparedNames();
    const append = names.of("WITH locked AS (SELECT 1) SELECT $1");
    expect(append).toMatch(/^oma_[0-9a-f]{24}$/);
    expect(names.of("WITH locked AS (SELECT 1) SELECT $1")).toBe(append);
    expect(names.of("SELECT $1")).not.toBe(append);
    // the same text in another process gets the same name (a hash of the text, not a counter)
    expect(new PreparedNames().of("WITH locked AS (SELECT 1) SELECT $1")).toBe(append);
  });

  it("stop at MAX_PREPARED texts: the rest run unprepared, those named keep their names", () => {
    const names = new PreparedNames();
    const first = names.of("SELECT 0");
    for (let i = 1; i < PreparedNames.MAX_PREPARED; i++) expect(names.of(`SELECT ${i}`)).toBeDefined();
    expect(names.of("SELECT 'one too many'")).toBeUndefined();
    expect(names.of("SELECT 0")).toBe(first);
  });
});
