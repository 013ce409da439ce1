import { describe, expect, it } from "vitest";
import {
  createRedactor,
  createStreamRedactor,
  MAX_FLEXIBLE_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  MIN_TOKEN_SECRET_LENGTH,
  REDACTED,
} from "@/lib/redact";

const SECRET = "sk-live_9f8E7d6C5b4A";
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");
const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");
/** Every character as a JSON \u escape, as an ensure_ascii encoder writes non-ASCII text. */
const uEscape = (s: string, upper = false) =>
  [...s]
    .flatMap((ch) => (ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)]))
    .map((u) => `\\u${u.toString(16).padStart(4, "0")}`)
    .map((e) => (upper ? e.toUpperCase().replace("\\U", "\\u") : e))
    .join("");
/** Percent-encodes every byte, with lower-case hex digits. */
const percentAll = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunked(text: string, random: () => number, max = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(random() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

function streamAll(secrets: string[], chunks: string[], options: { bytes?: boolean } = {}): string {
  const stream = createStreamRedactor(secrets, options);
  return chunks.map((c) => stream.push(c)).join("") + stream.end();
}

describe("createRedactor: the forms a secret takes", () => {
  const r = createRedactor([SECRET]);

  it.each([
    ["plain", `token ${SECRET} end`, "token [redacted] end"],
    ["at both ends", `${SECRET}`, REDACTED],
    ["twice, adjacent", `${SECRET}${SECRET}`, `${REDACTED}${REDACTED}`],
    ["inside a word", `xx${SECRET}yy`, `xx${REDACTED}yy`],
    ["encodeURIComponent", `q=${encodeURIComponent(SECRET)}&x=1`, `q=${REDACTED}&x=1`],
    ["every byte percent-encoded, lower-case", `q=${percentAll(SECRET)}&`, `q=${REDACTED}&`],
    ["JSON string", JSON.stringify({ token: SECRET }), `{"token":"${REDACTED}"}`],
    ["all \\u escapes", `"${uEscape(SECRET)}"`, `"${REDACTED}"`],
    ["all \\u escapes, upper-case hex", `"${uEscape(SECRET, true)}"`, `"${REDACTED}"`],
    ["hex, lower", `id=${hex(SECRET)};`, `id=${REDACTED};`],
    ["hex, upper", `id=${hex(SECRET).toUpperCase()};`, `id=${REDACTED};`],
    ["base64", `v=${b64(SECRET)}`, `v=${REDACTED}`],
    ["base64, no padding", `v=${b64(SECRET).replace(/=+$/, "")}.`, `v=${REDACTED}.`],
    ["base64url", `v=${b64url(SECRET)}`, `v=${REDACTED}`],
    ["HTML decimal references", [...SECRET].map((c) => `&#${c.charCodeAt(0)};`).join(""), REDACTED],
    ["HTML hex references", [...SECRET].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(""), REDACTED],
    ["Python bytes repr", `b'${[...SECRET].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join("")}'`, `b'${REDACTED}'`],
  ])("%s", (_name, input, expected) => {
    expect(r.redact(input)).toBe(expected);
  });

  it("a mix of encodings within one occurrence", () => {
    const mixed = SECRET.slice(0, 5) + percentAll(SECRET.slice(5, 9)) + uEscape(SECRET.slice(9, 12)) + SECRET.slice(12);
    expect(r.redact(`<${mixed}>`)).toBe(`<${REDACTED}>`);
  });

  it("leaves near misses alone: one character changed, or the case of a letter", () => {
    const changed = SECRET.slice(0, -1) + "B";
    const recased = SECRET.toUpperCase();
    expect(r.redact(changed)).toBe(changed);
    expect(r.redact(recased)).toBe(recased);
    expect(r.redact(SECRET.slice(1))).toBe(SECRET.slice(1));
  });

  it("embedded in a longer base64 string at each of the three alignments, standard and url-safe", () => {
    const coreLength = Math.floor((4 * (SECRET.length - 2)) / 3);
    for (let before = 0; before < 6; before++) {
      for (let after = 0; after < 4; after++) {
        const plain = `${"u".repeat(before)}${SECRET}${"z".repeat(after)}`;
        for (const encoded of [b64(plain), b64url(plain), `Basic ${b64(`user${"x".repeat(before)}:${SECRET}`)}`]) {
          const out = r.redact(encoded);
          expect(out, encoded).toContain(REDACTED);
          // What is left is at most the characters that depend on the neighbours of the secret.
          expect(out.length - REDACTED.length, encoded).toBeLessThanOrEqual(encoded.length - coreLength);
        }
      }
    }
  });

  it("base64 wrapped across lines (MIME, PEM)", () => {
    const body = b64(`${"filler ".repeat(7)}${SECRET}${" more filler".repeat(5)}`);
    const lines = body.match(/.{1,76}/g)!;
    // The secret's encoding (from character 65 on) straddles the first line break.
    expect(lines[0]!.length).toBe(76);
    const out = r.redact(lines.join("\r\n"));
    expect(out).toContain(REDACTED);
    const coreLength = Math.floor((4 * (SECRET.length - 2)) / 3);
    const rest = out.replace(/\r\n/g, "");
    expect(rest.length - REDACTED.length).toBeLessThanOrEqual(body.length - coreLength);
  });
});

describe("createRedactor: awkward secrets", () => {
  it("regex metacharacters, quotes and backslashes", () => {
    const secret = String.raw`a.*+?^${"$"}{}()|[]\/"'x`;
    const r = createRedactor([secret]);
    expect(r.redact(`>${secret}<`)).toBe(`>${REDACTED}<`);
    expect(r.redact(JSON.stringify(secret))).toBe(`"${REDACTED}"`);
    expect(r.redact(encodeURIComponent(secret))).toBe(REDACTED);
    expect(r.redact("a.......x")).toBe("a.......x");
  });

  it("non-ASCII secrets: plain, JSON with ensure_ascii, URL-encoded, base64, bytes mode", () => {
    const secret = "päss🔑wörd-123";
    const r = createRedactor([secret]);
    expect(r.redact(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
    expect(r.redact(uEscape(secret))).toBe(REDACTED);
    expect(r.redact(encodeURIComponent(secret))).toBe(REDACTED);
    expect(r.redact(b64(secret))).toBe(REDACTED);
    const bytes = createRedactor([secret], { bytes: true });
    const wire = Buffer.from(`{"k":"${secret}"}`, "utf8").toString("latin1");
    expect(bytes.redact(wire)).toBe(`{"k":"${REDACTED}"}`);
    // In bytes mode the text is not UTF-16: the plain JS string does not match.
    expect(bytes.redact(secret)).toBe(secret);
  });

  it("a space may be + in form encoding", () => {
    const secret = "correct horse battery";
    const r = createRedactor([secret]);
    expect(r.redact("p=correct+horse+battery&")).toBe(`p=${REDACTED}&`);
    expect(r.redact("p=correct%20horse%20battery&")).toBe(`p=${REDACTED}&`);
  });

  it("overlapping secrets are redacted as one, leaving nothing of either", () => {
    const a = "abcdefgh12345";
    const b = "12345zyxwvuts";
    const r = createRedactor([a, b]);
    expect(r.redact(`[abcdefgh12345zyxwvuts]`)).toBe(`[${REDACTED}]`);
    expect(r.redact(`[${b}${a}]`)).toBe(`[${REDACTED}${REDACTED}]`);
  });

  it("a secret inside another secret", () => {
    const inner = "inner-secret-1";
    const outer = `prefix-${inner}-suffix`;
    for (const order of [
      [inner, outer],
      [outer, inner],
    ]) {
      const r = createRedactor(order);
      expect(r.redact(`(${outer})`)).toBe(`(${REDACTED})`);
      expect(r.redact(`(${inner})`)).toBe(`(${REDACTED})`);
    }
  });

  it("a repeated-character secret inside a longer run", () => {
    const r = createRedactor(["aaaaaaaaaa"]);
    expect(r.redact("b" + "a".repeat(25) + "b")).toBe(`b${REDACTED}b`);
  });

  it("long secrets (keys, certificates) in their whole-string encodings", () => {
    const secret = Array.from({ length: MAX_FLEXIBLE_SECRET_LENGTH + 500 }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join("");
    const r = createRedactor([secret]);
    expect(r.redact(`<${secret}>`)).toBe(`<${REDACTED}>`);
    expect(r.redact(`<${encodeURIComponent(secret)}>`)).toBe(`<${REDACTED}>`);
    expect(r.redact(`<${JSON.stringify(secret)}>`)).toBe(`<"${REDACTED}">`);
    expect(r.redact(`<${b64(secret)}>`)).toBe(`<${REDACTED}>`);
    expect(r.redact(`<${b64(`u:${secret}`)}>`)).toContain(REDACTED);
    expect(r.redact(`<${hex(secret)}>`)).toBe(`<${REDACTED}>`);
  });

  it("a PEM key with line breaks, in plain text and inside JSON", () => {
    const pem = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n`;
    const r = createRedactor([pem]);
    expect(r.redact(`key: ${pem}done`)).toBe(`key: ${REDACTED}done`);
    expect(r.redact(JSON.stringify({ pem }))).toBe(`{"pem":"${REDACTED}"}`);
  });
});

describe("createRedactor: short secrets", () => {
  it(`secrets of ${MIN_TOKEN_SECRET_LENGTH} to ${MIN_SECRET_LENGTH - 1} characters: plain, whole tokens only`, () => {
    const r = createRedactor(["hunter2"]);
    expect(r.redact("pw hunter2, ok")).toBe(`pw ${REDACTED}, ok`);
    expect(r.redact("hunter2")).toBe(REDACTED);
    expect(r.redact("hunter22 xhunter2 hunter2x")).toBe("hunter22 xhunter2 hunter2x");
    // Not in encoded forms: too likely to hit ordinary data.
    expect(r.redact(b64("hunter2"))).toBe(b64("hunter2"));
  });

  it(`secrets under ${MIN_TOKEN_SECRET_LENGTH} characters are ignored and counted`, () => {
    const r = createRedactor(["the", "", "a", SECRET]);
    expect(r.ignored).toBe(2);
    expect(r.redact("the cat sat on a mat")).toBe("the cat sat on a mat");
    expect(r.redact(SECRET)).toBe(REDACTED);
  });

  it("no usable secret: the text comes back unchanged", () => {
    const r = createRedactor(["ab"]);
    expect(r.active).toBe(false);
    expect(r.redact("ab ab ab")).toBe("ab ab ab");
    expect(createRedactor([]).redact("")).toBe("");
  });
});

describe("createStreamRedactor", () => {
  const secrets = [SECRET, "other-secret-value", "päss🔑wörd-123", "tok42"];
  const corpus = [
    `start ${SECRET} middle ${encodeURIComponent(secrets[2]!)} end`,
    JSON.stringify({ a: secrets[1], b: [SECRET, "x"], c: uEscape(SECRET) }),
    `Authorization: Basic ${b64(`me:${SECRET}`)}\r\nX: ${hex(secrets[1]!)}\r\n`,
    `tok42 tok42x ${SECRET}${secrets[1]}`,
    "no secrets here at all, just a reasonably long line of text ".repeat(5),
    `${SECRET}`,
  ];

  it("gives the same result as one-shot redaction, however the text is cut", () => {
    const one = createRedactor(secrets);
    const random = rng(42);
    for (const text of corpus) {
      const expected = one.redact(text);
      for (let round = 0; round < 40; round++) {
        expect(streamAll(secrets, chunked(text, random, 1 + (round % 15)))).toBe(expected);
      }
      expect(streamAll(secrets, [...text])).toBe(expected);
    }
  });

  it("never lets a secret through, on random text full of partial secrets", () => {
    const random = rng(7);
    const pieces = [SECRET, SECRET.slice(0, 7), SECRET.slice(5), "sk-", " ", "x", encodeURIComponent(SECRET), b64(SECRET).slice(0, 9)];
    for (let round = 0; round < 200; round++) {
      let text = "";
      while (text.length < 300) text += pieces[Math.floor(random() * pieces.length)];
      const out = streamAll([SECRET], chunked(text, random, 20));
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(encodeURIComponent(SECRET));
      expect(out).not.toContain(b64(SECRET).slice(0, 24));
    }
  });

  it("bytes mode: a UTF-8 secret cut between the bytes of one character", () => {
    const secret = "päss🔑wörd-123";
    const wire = Buffer.from(`head ${secret} tail`, "utf8").toString("latin1");
    const out = streamAll([secret], [...wire], { bytes: true });
    expect(out).toBe(`head ${REDACTED} tail`);
  });

  it("holds back no more than the longest form a secret can take, less one", () => {
    const stream = createStreamRedactor(["abcdefgh"]);
    // Character-wise forms: the longest encoding of each of these ASCII letters is `\u00XX` (6) or `&#xNN;` (6): 6 × 8 = 48.
    expect(stream.holdback).toBe(48 - 1);
    const text = "z".repeat(100);
    expect(stream.push(text)).toBe(text.slice(0, 100 - stream.holdback));
    expect(stream.end()).toBe(text.slice(100 - stream.holdback));
  });

  it("passes text through at once when there is nothing to redact", () => {
    const stream = createStreamRedactor(["ab"]);
    expect(stream.holdback).toBe(0);
    expect(stream.push("hello")).toBe("hello");
    expect(stream.end()).toBe("");
  });

  it("is reusable after end()", () => {
    const stream = createStreamRedactor([SECRET]);
    expect(stream.push(`a ${SECRET.slice(0, 6)}`) + stream.end()).toBe(`a ${SECRET.slice(0, 6)}`);
    expect(stream.push(SECRET.slice(6)) + stream.end()).toBe(SECRET.slice(6));
    expect(stream.push(`${SECRET}`) + stream.end()).toBe(REDACTED);
  });

  it("whole-token secrets look at the character after them, even across chunks", () => {
    expect(streamAll(["tok42"], ["x tok4", "2", "y"])).toBe("x tok42y");
    expect(streamAll(["tok42"], ["x tok4", "2", " y"])).toBe(`x ${REDACTED} y`);
    expect(streamAll(["tok42"], ["xtok", "42 y"])).toBe("xtok42 y");
  });
});
