/**
 * Redaction of secrets from text before it is stored, logged or shown: every occurrence of a
 * secret is replaced with `[redacted]`, in the encodings a secret typically travels in:
 *
 * - plain;
 * - URL-encoded (`%XX` with either case of hex digit, `+` for a space, any mix of encoded and
 *   unencoded characters, as different encoders escape different sets);
 * - JSON / JavaScript string escapes (`\uXXXX`, `\"`, `\\`, `\/`, `\n`…), `\xXX` escapes (per UTF-8
 *   byte as Python prints bytes, or per character up to U+00FF) and HTML character references;
 *   the character-wise forms above may be mixed within one occurrence;
 * - hex of the UTF-8 bytes (either case);
 * - base64 and base64url of the UTF-8 bytes, padded or not, alone or embedded in a longer base64
 *   string at any of the three byte alignments (what `Basic user:secret` produces); only the
 *   characters that depend on the secret alone are matched there, so the one or two characters at
 *   each end that mix in neighbouring bytes stay (at most 4 bits of the secret each). Line breaks
 *   inside base64 (MIME, PEM wrapping) are tolerated.
 *
 * Length policy (too-short secrets would redact ordinary text):
 * - 8 characters or more: every form above, anywhere (also inside a longer word);
 * - 4 to 7 characters: the plain form only, and only as a whole token (not preceded or followed
 *   by a letter or digit);
 * - under 4 characters: not redacted at all (counted in `ignored`).
 * Secrets longer than 1024 characters (keys, certificates) are matched in their whole-string
 * encodings only (plain, `encodeURIComponent`, JSON-escaped, hex, base64), not character-wise
 * mixes, to keep the pattern small.
 *
 * Out of scope: anything a determined encoder can invent (double encoding, compression,
 * encryption, a secret split into pieces). Redaction protects against accidents and reflections,
 * not against a party that holds the secret and wants it out.
 *
 * Overlapping occurrences (two secrets sharing text, different encodings of one secret) are merged
 * into one `[redacted]`.
 */

export const REDACTED = "[redacted]";
/** Secrets at least this long are matched in every encoding, anywhere. */
export const MIN_SECRET_LENGTH = 8;
/** Secrets at least this long (and shorter than MIN_SECRET_LENGTH) are matched plainly, as whole tokens. */
export const MIN_TOKEN_SECRET_LENGTH = 4;
/** Longest secret matched character-wise (mixed encodings); longer ones are matched in whole-string encodings. */
export const MAX_FLEXIBLE_SECRET_LENGTH = 1024;

export interface RedactorOptions {
  /**
   * The text is raw bytes read as latin1 (one character per byte), as an HTTP body or header is;
   * secrets are then matched as their UTF-8 bytes. Default false: the text is ordinary JS text.
   */
  bytes?: boolean;
}

export interface Redactor {
  redact(text: string): string;
  /** How many distinct non-empty secrets were too short to redact. */
  readonly ignored: number;
  /** Whether at least one secret is redacted (otherwise `redact` returns its input). */
  readonly active: boolean;
  /** How many trailing characters a stream redactor holds back between chunks. */
  readonly holdback: number;
}

export interface StreamRedactor {
  /** Redacts what can be decided so far; may return less text than it was given (never more than it was given overall). */
  push(chunk: string): string;
  /** Flushes and redacts what is held back. The redactor can be reused afterwards. */
  end(): string;
}

type Piece = { source: string; maxLen: number };

interface Matcher {
  regex: RegExp | null;
  /** Longest text one match can span. */
  maxLen: number;
  /** Whether a pattern looks one character past its match (whole-token secrets). */
  lookahead: boolean;
  ignored: number;
}

export function createRedactor(secrets: readonly string[], options: RedactorOptions = {}): Redactor {
  const matcher = buildMatcher(secrets, options);
  return {
    redact: (text) => (matcher.regex ? applyIntervals(text, findIntervals(matcher.regex, text, 0), 0, text.length) : text),
    ignored: matcher.ignored,
    active: matcher.regex !== null,
    holdback: holdbackOf(matcher),
  };
}

/**
 * A redactor for text that arrives in chunks: a secret split across chunks is still redacted.
 * It holds back the last `holdback` characters of what it has seen (the longest form a secret can
 * take, less one; one more when a whole-token secret needs to see the next character).
 */
export function createStreamRedactor(secrets: readonly string[], options: RedactorOptions = {}): StreamRedactor & Pick<Redactor, "ignored" | "active" | "holdback"> {
  const matcher = buildMatcher(secrets, options);
  const holdback = holdbackOf(matcher);
  let pending = "";
  let context = ""; // the last character already emitted, for whole-token look-behind

  return {
    ignored: matcher.ignored,
    active: matcher.regex !== null,
    holdback,
    push(chunk: string): string {
      if (!matcher.regex) return chunk;
      const buffer = pending + chunk;
      if (buffer.length <= holdback) {
        pending = buffer;
        return "";
      }
      const text = context + buffer;
      const offset = context.length;
      const safe = text.length - holdback; // every match starting before `safe` lies wholly inside `text`
      const intervals = findIntervals(matcher.regex, text, offset).filter(([start]) => start < safe);
      const cut = Math.max(safe, ...intervals.map(([, end]) => end));
      const out = applyIntervals(text, intervals, offset, cut);
      context = text.slice(cut - 1, cut);
      pending = text.slice(cut);
      return out;
    },
    end(): string {
      if (!matcher.regex) return "";
      const text = context + pending;
      const out = applyIntervals(text, findIntervals(matcher.regex, text, context.length), context.length, text.length);
      pending = "";
      context = "";
      return out;
    },
  };
}

function holdbackOf(matcher: Matcher): number {
  return matcher.regex ? matcher.maxLen - 1 + (matcher.lookahead ? 1 : 0) : 0;
}

/** Start and end of every match, overlapping ones merged, in `text` from `from` on. */
function findIntervals(regex: RegExp, text: string, from: number): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  regex.lastIndex = from;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const last = intervals[intervals.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else intervals.push([start, end]);
    // Look again one character on: another secret, or another form, may start inside this match.
    regex.lastIndex = start + 1;
  }
  return intervals;
}

function applyIntervals(text: string, intervals: ReadonlyArray<[number, number]>, from: number, to: number): string {
  let out = "";
  let at = from;
  for (const [start, end] of intervals) {
    if (start >= to) break;
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at, Math.max(at, to));
}

function buildMatcher(secrets: readonly string[], options: RedactorOptions): Matcher {
  const bytesMode = options.bytes === true;
  const distinct = [...new Set(secrets.filter((s) => typeof s === "string" && s.length > 0))];
  const pieces = new Map<string, number>();
  let ignored = 0;
  let lookahead = false;
  const add = (piece: Piece) => pieces.set(piece.source, Math.max(pieces.get(piece.source) ?? 0, piece.maxLen));

  for (const secret of distinct) {
    if (secret.length < MIN_TOKEN_SECRET_LENGTH) {
      ignored += 1;
      continue;
    }
    const bytes = Buffer.from(secret, "utf8");
    if (secret.length < MIN_SECRET_LENGTH) {
      const plain = literal(bytesMode ? bytes.toString("latin1") : secret);
      add({ source: `(?<![A-Za-z0-9])${plain.source}(?![A-Za-z0-9])`, maxLen: plain.maxLen });
      lookahead = true;
      continue;
    }
    const flexible = secret.length <= MAX_FLEXIBLE_SECRET_LENGTH;
    if (flexible) {
      add(characterWise(secret, bytesMode));
    } else {
      const asText = (s: string) => literal(bytesMode ? Buffer.from(s, "utf8").toString("latin1") : s);
      add(asText(secret));
      add(literal(encodeURIComponent(secret)));
      add(asText(JSON.stringify(secret).slice(1, -1)));
    }
    add(hexOf(bytes));
    for (const encoded of base64Forms(bytes)) add(base64Piece(encoded, flexible));
  }

  if (pieces.size === 0) return { regex: null, maxLen: 0, lookahead: false, ignored };
  // At one start position the first alternative that matches wins: longest forms first.
  const ordered = [...pieces.entries()].sort((a, b) => b[1] - a[1]);
  return {
    regex: new RegExp(ordered.map(([source]) => source).join("|"), "g"),
    maxLen: ordered[0]![1],
    lookahead,
    ignored,
  };
}

/** A regex source matching exactly `text`, every character escaped. */
function literal(text: string): Piece {
  let source = "";
  for (let i = 0; i < text.length; i++) source += escapeUnit(text.charCodeAt(i));
  return { source, maxLen: text.length };
}

function escapeUnit(code: number): string {
  const ch = String.fromCharCode(code);
  return /[A-Za-z0-9]/.test(ch) ? ch : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Two hex digits of a byte, each letter in either case. */
function hexByte(byte: number): string {
  return hexDigits(byte.toString(16).padStart(2, "0"));
}

function hexDigits(hex: string): string {
  return [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join("");
}

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
const HTML_NAMED: Readonly<Record<string, string[]>> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  '"': ["&quot;"],
  "'": ["&apos;"],
};

/** The secret with each character in any of its textual encodings. */
function characterWise(secret: string, bytesMode: boolean): Piece {
  let source = "";
  let maxLen = 0;
  for (const ch of secret) {
    const cp = ch.codePointAt(0)!;
    const utf8 = [...Buffer.from(ch, "utf8")];
    const alternatives: Piece[] = [literal(bytesMode ? Buffer.from(ch, "utf8").toString("latin1") : ch)];
    alternatives.push({ source: utf8.map((b) => `%${hexByte(b)}`).join(""), maxLen: 3 * utf8.length });
    if (ch === " ") alternatives.push(literal("+"));
    const units = [...ch].length === 1 && ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)];
    alternatives.push({
      source: units.map((u) => `\\\\u${hexDigits(u.toString(16).padStart(4, "0"))}`).join(""),
      maxLen: 6 * units.length,
    });
    const short = JSON_SHORT[ch];
    if (short) alternatives.push(literal(short));
    alternatives.push({ source: utf8.map((b) => `\\\\x${hexByte(b)}`).join(""), maxLen: 4 * utf8.length });
    if (cp >= 0x80 && cp <= 0xff) alternatives.push({ source: `\\\\x${hexByte(cp)}`, maxLen: 4 });
    alternatives.push(literal(`&#${cp};`));
    const hex = cp.toString(16);
    alternatives.push({ source: `&#[xX]${hexDigits(hex)};`, maxLen: 4 + hex.length });
    for (const named of HTML_NAMED[ch] ?? []) alternatives.push(literal(named));
    const unique = [...new Map(alternatives.map((a) => [a.source, a])).values()];
    source += `(?:${unique.map((a) => a.source).join("|")})`;
    maxLen += Math.max(...unique.map((a) => a.maxLen));
  }
  return { source, maxLen };
}

function hexOf(bytes: Buffer): Piece {
  return { source: [...bytes].map(hexByte).join(""), maxLen: 2 * bytes.length };
}

/**
 * The base64 strings that stand for `bytes`: its own encoding (padded and not), and for each of
 * the three alignments inside a longer string, the run of characters that depend on these bytes
 * only. Each in the standard and the URL-safe alphabet.
 */
function base64Forms(bytes: Buffer): string[] {
  const standard: string[] = [];
  const whole = bytes.toString("base64");
  standard.push(whole, whole.replace(/=+$/, ""));
  const n = bytes.length;
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64").replace(/=+$/, "");
    let core = "";
    for (let i = 0; i < encoded.length; i++) {
      const group = Math.floor(i / 4);
      const j = i % 4;
      const first = 3 * group + Math.floor((6 * j) / 8);
      const last = 3 * group + Math.floor((6 * j + 5) / 8);
      if (first >= k && last < k + n) core += encoded[i];
    }
    if (core.length >= 4) standard.push(core);
  }
  const forms = new Set<string>();
  for (const s of standard) {
    forms.add(s);
    forms.add(s.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms];
}

/** A base64 string, optionally broken by line breaks between any two characters. */
function base64Piece(encoded: string, allowLineBreaks: boolean): Piece {
  if (!allowLineBreaks) return literal(encoded);
  const chars = [...encoded].map((c) => escapeUnit(c.charCodeAt(0)));
  return { source: chars.join("(?:\\r?\\n)?"), maxLen: encoded.length + 2 * (encoded.length - 1) };
}
