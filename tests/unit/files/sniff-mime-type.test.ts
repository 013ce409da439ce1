import { describe, expect, it } from "vitest";
import { extensionFor, sniffMimeType } from "@/lib/files/sniff-mime-type";

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);
const OCTET = "application/octet-stream";

describe("sniffing a file's type", () => {
  it("knows common formats by their magic numbers", () => {
    const cases: [Uint8Array, string][] = [
      [bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), "image/png"],
      [bytes(0xff, 0xd8, 0xff, 0xe0), "image/jpeg"],
      [text("GIF89a..."), "image/gif"],
      [text("RIFF\x10\x00\x00\x00WEBPVP8 "), "image/webp"],
      [text("%PDF-1.7\n"), "application/pdf"],
      [bytes(0x50, 0x4b, 0x03, 0x04, 0x14), "application/zip"],
      [bytes(0x1f, 0x8b, 0x08), "application/gzip"],
      [bytes(0, 0, 0, 0x20, ...text("ftypisom")), "video/mp4"],
    ];
    for (const [head, type] of cases) expect(sniffMimeType({ head, declared: OCTET, filename: "upload.bin" })).toBe(type);
  });

  it("trusts the bytes over a declared type and an extension that disagree", () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    expect(sniffMimeType({ head: png, declared: "text/plain", filename: "notes.txt" })).toBe("image/png");
  });

  it("names a ZIP-based document by its extension", () => {
    const zip = bytes(0x50, 0x4b, 0x03, 0x04);
    expect(sniffMimeType({ head: zip, filename: "report.docx" })).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(sniffMimeType({ head: zip, filename: "report.txt" })).toBe("application/zip");
  });

  it("falls back to a specific declared type, then the extension, then text, then an octet stream", () => {
    expect(sniffMimeType({ head: text("a,b\n1,2\n"), declared: "text/csv; charset=utf-8", filename: "data" })).toBe("text/csv");
    expect(sniffMimeType({ head: text('{"a":1}'), declared: OCTET, filename: "data.JSON" })).toBe("application/json");
    expect(sniffMimeType({ head: text("# Title\n"), filename: "README.md" })).toBe("text/markdown");
    expect(sniffMimeType({ head: text("plain words, déjà vu\n"), declared: OCTET, filename: "notes" })).toBe("text/plain");
    expect(sniffMimeType({ head: bytes(0x00, 0x01, 0x02, 0xfe), declared: OCTET, filename: "blob" })).toBe(OCTET);
    expect(sniffMimeType({ head: new Uint8Array(), filename: "" })).toBe(OCTET);
  });

  it("takes text cut inside a multi-byte character at the window's edge as text, and invalid UTF-8 as binary", () => {
    const cut = text("café").subarray(0, 4); // "caf" + the first byte of "é"
    expect(sniffMimeType({ head: cut, filename: "x" })).toBe("text/plain");
    expect(sniffMimeType({ head: bytes(0x61, 0xc3, 0x28, 0x61, 0x62), filename: "x" })).toBe(OCTET);
  });

  it("ignores a declared type that is not a type", () => {
    expect(sniffMimeType({ head: bytes(0x00, 0x01), declared: "nonsense", filename: "x" })).toBe(OCTET);
  });

  it("gives the extension a type is stored with", () => {
    expect(extensionFor("image/png")).toBe("png");
    expect(extensionFor("application/x-unknown")).toBeNull();
  });
});
