/**
 * A file's MIME type. The decision, in order:
 * 1. the bytes: a magic number of a common binary format (PNG, JPEG, GIF, WebP, PDF, ZIP, gzip, …)
 *    wins over what the client declared, which is often generic (the SDK sends
 *    `application/octet-stream` for a stream) or wrong; a ZIP whose extension names a ZIP-based
 *    format (docx, xlsx, pptx, jar, epub…) takes that format's type;
 * 2. the part's declared `Content-Type`, when it is specific (not `application/octet-stream`);
 * 3. the filename's extension;
 * 4. bytes that read as UTF-8 text without control characters: `text/plain`;
 * 5. otherwise `application/octet-stream`.
 * A small table rather than a library: the common types are a few lines, and the order above is
 * the part that matters here.
 */
export const SNIFF_BYTES = 512;

const OCTET_STREAM = "application/octet-stream";

type TMagic = { type: string; offset?: number; bytes: number[]; also?: { offset: number; bytes: number[] } };

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const MAGIC: TMagic[] = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/gif", bytes: ascii("GIF87a") },
  { type: "image/gif", bytes: ascii("GIF89a") },
  { type: "image/webp", bytes: ascii("RIFF"), also: { offset: 8, bytes: ascii("WEBP") } },
  { type: "audio/wav", bytes: ascii("RIFF"), also: { offset: 8, bytes: ascii("WAVE") } },
  { type: "image/bmp", bytes: ascii("BM"), also: { offset: 6, bytes: [0, 0, 0, 0] } },
  { type: "image/tiff", bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: "image/tiff", bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: "application/pdf", bytes: ascii("%PDF-") },
  { type: "application/zip", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: "application/zip", bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: "application/gzip", bytes: [0x1f, 0x8b] },
  { type: "application/x-bzip2", bytes: ascii("BZh") },
  { type: "application/x-xz", bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { type: "application/zstd", bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { type: "application/x-7z-compressed", bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: "application/x-tar", offset: 257, bytes: ascii("ustar") },
  { type: "application/wasm", bytes: [0x00, 0x61, 0x73, 0x6d] },
  { type: "application/x-elf", bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: "application/vnd.sqlite3", bytes: ascii("SQLite format 3\0") },
  { type: "audio/mpeg", bytes: ascii("ID3") },
  { type: "audio/ogg", bytes: ascii("OggS") },
  { type: "audio/flac", bytes: ascii("fLaC") },
  { type: "video/mp4", offset: 4, bytes: ascii("ftyp") },
];

const BY_EXTENSION: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  ts: "text/x-typescript",
  py: "text/x-python",
  json: "application/json",
  jsonl: "application/jsonl",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  epub: "application/epub+zip",
  jar: "application/java-archive",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
};

/** Formats stored as a ZIP container: the magic number says ZIP, the extension says which. */
const ZIP_BASED = new Set(["docx", "xlsx", "pptx", "odt", "epub", "jar"]);

function startsWith(head: Uint8Array, bytes: number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

function fromMagic(head: Uint8Array): string | null {
  const match = MAGIC.find((m) => startsWith(head, m.bytes, m.offset) && (!m.also || startsWith(head, m.also.bytes, m.also.offset)));
  return match?.type ?? null;
}

function extensionOf(filename: string): string | null {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : null;
}

/** The extension a type is stored with (for an upload without a filename: `unnamed.png`). */
export function extensionFor(mimeType: string): string | null {
  return Object.entries(BY_EXTENSION).find(([, type]) => type === mimeType)?.[0] ?? null;
}

/** A declared type worth keeping: `type/subtype` (parameters dropped), not the generic octet stream. */
function specificDeclared(declared: string | undefined): string | null {
  const type = declared?.split(";")[0]!.trim().toLowerCase();
  if (!type || type === OCTET_STREAM || !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)) return null;
  return type;
}

/** True when the head decodes as UTF-8 (a multi-byte sequence cut at the end allowed) with no control characters but tab, CR, LF, FF. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  if (head.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)) return false;
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // a character cut by the sniff window: try a few bytes shorter
    }
  }
  return false;
}

export function sniffMimeType(options: { head: Uint8Array; declared?: string; filename: string }): string {
  const extension = extensionOf(options.filename);
  const magic = fromMagic(options.head);
  if (magic === "application/zip" && extension && ZIP_BASED.has(extension)) return BY_EXTENSION[extension]!;
  if (magic) return magic;
  const declared = specificDeclared(options.declared);
  if (declared) return declared;
  if (extension && BY_EXTENSION[extension]) return BY_EXTENSION[extension];
  if (looksLikeText(options.head)) return "text/plain";
  return OCTET_STREAM;
}
