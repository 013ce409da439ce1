import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "@/lib/resource/content-disposition";

describe("attachmentDisposition", () => {
  it("names the download in ASCII and, exactly, in UTF-8", () => {
    expect(attachmentDisposition("notes.md")).toBe(`attachment; filename="notes.md"; filename*=UTF-8''notes.md`);
    expect(attachmentDisposition('résumé "v2".pdf')).toBe(`attachment; filename="r_sum_ _v2_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf`);
  });
});
