import { CONVENTION_VALUES, LAYER_KIND_VALUES, STATUS_CODE_VALUES } from "../model/record-values.js";

/**
 * Whether a line of trailcheck JSONL is already in canonical form: exactly the bytes `seal` would
 * write for the record it holds (the ingest's record, `source` dropped, JSON.stringify'd — keys in
 * schema order, every default present, no whitespace, escapes as JSON.stringify writes them). Such a
 * line is sealed as it lies, with no parse. Anything this cannot vouch for — other key orders, a
 * number JSON.stringify would write differently, duplicate or integer-like keys, deep nesting — gets
 * `false`, and the line takes the full parse. A false `false` costs time; a false `true` would seal
 * other bytes than the ingest reads, so every rule here errs towards `false`.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Nesting of attribute values deeper than this takes the full parse (which guards its own depth). */
const MAX_DEPTH = 32;
/** An object with more keys takes the full parse: duplicate keys are checked pairwise below this. */
const MAX_KEYS = 32;

/** A literal's bytes, and the same as little-endian 32-bit words for comparing four at a time. */
interface Literal {
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
}

const bytes = (text: string): Literal => {
  const b = Buffer.from(text, "latin1");
  const words = new Int32Array(b.length >> 2);
  for (let k = 0; k < words.length; k++) words[k] = b.readInt32LE(4 * k);
  return { length: b.length, bytes: b, words };
};
const quotedAll = (words: readonly string[]): Literal[] => words.map((w) => bytes(`"${w}"`));

const OPEN = bytes('{"traceId":');
const SPAN_ID = bytes(',"spanId":');
const PARENT = bytes(',"parentSpanId":');
const TRACE_STATE = bytes(',"traceState":');
const NAME = bytes(',"name":');
const KIND = bytes(',"kind":');
const CONVENTION = bytes(',"convention":');
const SPAN_KIND = bytes(',"spanKind":');
const START = bytes(',"start":');
const END = bytes(',"end":');
const STATUS = bytes(',"status":{"code":');
const MESSAGE = bytes(',"message":');
const ERROR_TYPE = bytes(',"errorType":');
const ATTRIBUTES = bytes('},"attributes":');
const EVENTS = bytes(',"events":[');
const EVENT_NAME = bytes('{"name":');
const EVENT_TIME = bytes(',"time":');
const EVENT_ATTRIBUTES = bytes(',"attributes":');
const RESOURCE = bytes('],"resource":');
const SCOPE = bytes(',"scope":{"name":');
const VERSION = bytes(',"version":');
const STREAM = bytes(',"stream":');
const TRUE = bytes("true");
const FALSE = bytes("false");
const NULL = bytes("null");
const PROTO = bytes('"__proto__"');
const QUOTED_KINDS = quotedAll(LAYER_KIND_VALUES);
const QUOTED_CONVENTIONS = quotedAll(CONVENTION_VALUES);
const QUOTED_CODES = quotedAll(STATUS_CODE_VALUES);
/** 0 for the bytes of lowercase hex digits, 1 for every other byte. */
const NOT_LOWER_HEX = new Uint8Array(256).fill(1);
for (const c of Buffer.from("0123456789abcdef", "latin1")) NOT_LOWER_HEX[c] = 0;
/** JSON's number grammar; a number is canonical when it also reads back as the same text. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * True when buf[from, to) is a canonical record line (see above). The bytes must be valid UTF-8,
 * which the caller checks for a whole chunk at once (isUtf8).
 */
export function isCanonicalRecord(buf: Uint8Array, from: number, to: number): boolean {
  if (scan.b !== buf) scan.use(buf);
  scan.end = to;
  return scan.record(from);
}

/** One pass over a line; each method takes a position and returns the one after what it matched, or -1. */
class Scan {
  /** Start and end of each key of the objects being scanned, for the duplicate check. */
  private readonly keys = new Int32Array(2 * MAX_KEYS * (MAX_DEPTH + 1));
  b: Uint8Array = new Uint8Array(0);
  /** The same bytes, read four at a time (little-endian) where a run of plain bytes is likely. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  end = 0;

  use(buf: Uint8Array): void {
    this.b = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  record(p: number): boolean {
    p = this.lit(p, OPEN);
    p = this.hex(p, 32);
    p = this.lit(p, SPAN_ID);
    p = this.hex(p, 16);
    if (this.at(p, PARENT)) p = this.hex(p + PARENT.length, 16);
    if (this.at(p, TRACE_STATE)) p = this.string(p + TRACE_STATE.length);
    p = this.string(this.lit(p, NAME));
    p = this.oneOf(this.lit(p, KIND), QUOTED_KINDS);
    p = this.oneOf(this.lit(p, CONVENTION), QUOTED_CONVENTIONS);
    p = this.lit(p, SPAN_KIND);
    // spanKind is an integer 0–5: one digit.
    p = p >= 0 && p < this.end && this.b[p]! >= 0x30 && this.b[p]! <= 0x35 ? p + 1 : -1;
    p = this.nanos(this.lit(p, START));
    p = this.nanos(this.lit(p, END));
    p = this.oneOf(this.lit(p, STATUS), QUOTED_CODES);
    if (this.at(p, MESSAGE)) p = this.string(p + MESSAGE.length);
    if (this.at(p, ERROR_TYPE)) p = this.string(p + ERROR_TYPE.length);
    p = this.object(this.lit(p, ATTRIBUTES), 0);
    p = this.events(this.lit(p, EVENTS));
    p = this.object(this.lit(p, RESOURCE), 0);
    if (this.at(p, SCOPE)) {
      p = this.string(p + SCOPE.length);
      if (this.at(p, VERSION)) p = this.string(p + VERSION.length);
      p = this.byte(p, 0x7d);
    }
    if (this.at(p, STREAM)) p = this.string(p + STREAM.length);
    return this.byte(p, 0x7d) === this.end;
  }

  /** `[` already matched: events, each `{"name":…,"time":…,"attributes":{…}}`, and the `]` left for RESOURCE. */
  private events(p: number): number {
    if (p < 0 || this.b[p] === 0x5d) return p;
    for (;;) {
      p = this.string(this.lit(p, EVENT_NAME));
      p = this.nanos(this.lit(p, EVENT_TIME));
      p = this.byte(this.object(this.lit(p, EVENT_ATTRIBUTES), 0), 0x7d);
      if (p < 0 || this.b[p] !== COMMA) return p;
      p++;
    }
  }

  private at(p: number, lit: Literal): boolean {
    const { b, view } = this;
    if (p < 0 || p + lit.length > this.end) return false;
    const { words, bytes } = lit;
    for (let k = 0; k < words.length; k++) if (view.getInt32(p + 4 * k, true) !== words[k]) return false;
    for (let i = 4 * words.length; i < bytes.length; i++) if (b[p + i] !== bytes[i]) return false;
    return true;
  }

  private lit(p: number, lit: Literal): number {
    return this.at(p, lit) ? p + lit.length : -1;
  }

  private byte(p: number, c: number): number {
    return p >= 0 && p < this.end && this.b[p] === c ? p + 1 : -1;
  }

  private oneOf(p: number, lits: readonly Literal[]): number {
    for (const lit of lits) if (this.at(p, lit)) return p + lit.length;
    return -1;
  }

  /** `"` n lowercase hex digits `"`. */
  private hex(p: number, n: number): number {
    const { b, end } = this;
    if (p < 0 || p + n + 2 > end || b[p] !== QUOTE || b[p + n + 1] !== QUOTE) return -1;
    let other = 0;
    for (let i = p + 1; i <= p + n; i++) other |= NOT_LOWER_HEX[b[i]!]!;
    return other === 0 ? p + n + 2 : -1;
  }

  /** Unix nanoseconds: `"` 1–20 decimal digits `"`. */
  private nanos(p: number): number {
    const { b, end } = this;
    if (p < 0 || b[p] !== QUOTE) return -1;
    const stop = Math.min(end, p + 21);
    let i = p + 1;
    while (i < stop && (b[i]! - 0x30) >>> 0 <= 9) i++;
    return i > p + 1 && i < end && b[i] === QUOTE ? i + 1 : -1;
  }

  /**
   * A JSON string as JSON.stringify writes it: no control character raw, only the escapes it uses.
   * Runs of plain characters are skipped four bytes at a time: a word is plain when none of its bytes
   * is below 0x20, a quote or a backslash (the usual has-zero-byte bit tricks).
   */
  private string(p: number): number {
    const { b, end, view } = this;
    if (p < 0 || b[p] !== QUOTE) return -1;
    let i = p + 1;
    for (;;) {
      for (; i + 4 <= end; i += 4) {
        const x = view.getInt32(i, true);
        const q = x ^ 0x22222222;
        const s = x ^ 0x5c5c5c5c;
        if ((((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
      }
      if (i >= end) return -1;
      const c = b[i]!;
      if (c === QUOTE) return i + 1;
      if (c < 0x20) return -1;
      if (c === BACKSLASH) {
        i = this.escape(i + 1);
        if (i < 0) return -1;
      }
      i++;
    }
  }

  /** After a backslash: the escape JSON.stringify writes for this character, else -1. Returns its last byte. */
  private escape(i: number): number {
    const { b, end } = this;
    if (i >= end) return -1;
    const c = b[i];
    // \" \\ \b \f \n \r \t
    if (c === QUOTE || c === BACKSLASH || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74)
      return i;
    // \u00XX for the other control characters, lower-case hex (lone surrogates take the full parse).
    if (c !== 0x75 || i + 4 >= end || b[i + 1] !== 0x30 || b[i + 2] !== 0x30) return -1;
    const hi = b[i + 3]!;
    const lo = b[i + 4]!;
    const loValue = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x57 : -1;
    if ((hi !== 0x30 && hi !== 0x31) || loValue < 0) return -1;
    const code = (hi - 0x30) * 16 + loValue;
    // \b \t \n \f \r have short forms.
    if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return -1;
    return i + 4;
  }

  /**
   * An attribute map: `{}` or string keys, each once, none integer-like (JavaScript would move it
   * first) nor `__proto__` (zod's record would take it as the prototype), values as below.
   */
  private object(p: number, depth: number): number {
    if (p < 0 || this.b[p] !== 0x7b || depth > MAX_DEPTH) return -1;
    p++;
    if (this.b[p] === 0x7d) return p + 1;
    const base = 2 * MAX_KEYS * depth;
    for (let n = 0; ; n++) {
      if (n === MAX_KEYS) return -1;
      const c = this.b[p + 1];
      if (c === undefined || (c >= 0x30 && c <= 0x39) || this.at(p, PROTO)) return -1;
      const keyEnd = this.string(p);
      if (keyEnd < 0 || this.seen(p, keyEnd, base, n)) return -1;
      this.keys[base + 2 * n] = p;
      this.keys[base + 2 * n + 1] = keyEnd;
      p = this.value(this.byte(keyEnd, COLON), depth);
      if (p < 0 || p >= this.end) return -1;
      if (this.b[p] === 0x7d) return p + 1;
      if (this.b[p] !== COMMA) return -1;
      p++;
    }
  }

  /** Whether key buf[from, to) equals one of the first n keys recorded at `base`. */
  private seen(from: number, to: number, base: number, n: number): boolean {
    for (let k = 0; k < n; k++) {
      const s = this.keys[base + 2 * k]!;
      if (this.keys[base + 2 * k + 1]! - s !== to - from) continue;
      let i = 0;
      while (i < to - from && this.b[s + i] === this.b[from + i]) i++;
      if (i === to - from) return true;
    }
    return false;
  }

  /** An attribute value: string, number, true, false, null, array of values, or a map. */
  private value(p: number, depth: number): number {
    if (p < 0 || p >= this.end) return -1;
    const c = this.b[p]!;
    if (c === QUOTE) return this.string(p);
    if (c === 0x7b) return this.object(p, depth + 1);
    if (c === 0x5b) return this.array(p, depth + 1);
    if (c === 0x74) return this.lit(p, TRUE);
    if (c === 0x66) return this.lit(p, FALSE);
    if (c === 0x6e) return this.lit(p, NULL);
    return this.number(p);
  }

  private array(p: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    p++;
    if (this.b[p] === 0x5d) return p + 1;
    for (;;) {
      p = this.value(p, depth);
      if (p < 0 || p >= this.end) return -1;
      if (this.b[p] === 0x5d) return p + 1;
      if (this.b[p] !== COMMA) return -1;
      p++;
    }
  }

  /** A number as JSON.stringify writes the value it reads as. */
  private number(p: number): number {
    const { b, end } = this;
    let i = p;
    while (i < end) {
      const c = b[i]!;
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) i++;
      else break;
    }
    if (i === p) return -1;
    // Small integers, the usual case, without making a string: no leading zero, no -0.
    const neg = b[p] === 0x2d ? 1 : 0;
    const digits = i - p - neg;
    let plain = digits >= 1 && digits <= 15;
    for (let k = p + neg; plain && k < i; k++) plain = b[k]! >= 0x30 && b[k]! <= 0x39;
    if (plain && (b[p + neg] !== 0x30 || digits === 1) && !(neg === 1 && b[p + 1] === 0x30)) return i;
    const text = Buffer.from(b.buffer, b.byteOffset + p, i - p).toString("latin1");
    return JSON_NUMBER.test(text) && String(Number(text)) === text ? i : -1;
  }
}

const scan = new Scan();
