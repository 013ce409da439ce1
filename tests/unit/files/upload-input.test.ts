import { describe, expect, it } from "vitest";
import { expiresInSeconds, unnamedFilename, uploadFilename } from "@/lib/files/upload-input";

describe("an upload's filename", () => {
  it("keeps the last path component only", () => {
    expect(uploadFilename("report.pdf")).toBe("report.pdf");
    expect(uploadFilename("/home/ada/report.pdf")).toBe("report.pdf");
    expect(uploadFilename("C:\\Users\\ada\\report.pdf")).toBe("report.pdf");
    expect(uploadFilename("versions..2.txt")).toBe("versions..2.txt"); // dots inside a name are fine
    expect(uploadFilename("ünïcødé 文件.txt")).toBe("ünïcødé 文件.txt");
  });

  it("is null when absent or empty", () => {
    expect(uploadFilename(undefined)).toBeNull();
    expect(uploadFilename("")).toBeNull();
  });

  it("refuses a .. component, control characters, a directory and an over-long name, naming the field", () => {
    for (const bad of ["../etc/passwd", "a/../b.txt", "..", "..\\x.txt", "a\u0000b.txt", "line\nbreak.txt", "dir/", ".", "a/.", `${"x".repeat(252)}.txt`, `${"é".repeat(128)}`]) {
      expect(() => uploadFilename(bad), bad).toThrow(/^file: /);
    }
    expect(uploadFilename(`${"x".repeat(251)}.txt`)).toHaveLength(255);
  });

  it("names an unnamed file after its type", () => {
    expect(unnamedFilename("image/png")).toBe("unnamed.png");
    expect(unnamedFilename("application/x-whatever")).toBe("unnamed");
  });
});

describe("expires_in_seconds", () => {
  it("is absent, or an integer from one hour to ninety days", () => {
    expect(expiresInSeconds(undefined)).toBeNull();
    expect(expiresInSeconds("3600")).toBe(3600);
    expect(expiresInSeconds("7776000")).toBe(7_776_000);
  });

  it("refuses anything else with a 400 naming the field", () => {
    for (const bad of ["3599", "7776001", "", "1e4", "3600.5", "-3600", "soon", "0x1000"]) {
      expect(() => expiresInSeconds(bad), bad).toThrow(/^expires_in_seconds: must be an integer between 3600 and 7776000/);
    }
  });
});
