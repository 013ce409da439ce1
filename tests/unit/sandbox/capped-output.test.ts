import { describe, expect, it } from "vitest";
import { CappedOutput, capText } from "@/lib/sandbox/capped-output";

describe("CappedOutput", () => {
  it("keeps everything under the cap", () => {
    const out = new CappedOutput(100);
    out.push(Buffer.from("hello "));
    out.push(Buffer.from("world"));
    expect(out.toString()).toBe("hello world");
    expect(out.truncated).toBe(false);
  });

  it("keeps the head and the tail and counts what it dropped", () => {
    const out = new CappedOutput(10);
    for (const chunk of ["abc", "defgh", "ijklmnop", "qrstuvwxyz"]) out.push(Buffer.from(chunk));
    expect(out.truncated).toBe(true);
    expect(out.totalBytes).toBe(26);
    expect(out.toString()).toBe("abcde\n[… 16 bytes truncated …]\nvwxyz");
  });

  it("stays bounded however much is pushed", () => {
    const out = new CappedOutput(1024);
    const chunk = Buffer.alloc(64 * 1024, "y");
    for (let i = 0; i < 1000; i++) out.push(chunk);
    const text = out.toString();
    expect(text.length).toBeLessThan(1100);
    expect(text).toContain(`[… ${64 * 1024 * 1000 - 1024} bytes truncated …]`);
  });
});

describe("capText", () => {
  it("leaves short text alone and cuts long text in the middle", () => {
    expect(capText("short", 10)).toEqual({ text: "short", truncated: false });
    expect(capText("0123456789abcdef", 8)).toEqual({ text: "0123\n[… 8 characters truncated …]\ncdef", truncated: true });
  });
});
