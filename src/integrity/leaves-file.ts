import { type Digest, HASH_SIZE } from "./hash.js";
import { countOf, type PackedDigests } from "./packed-digests.js";

/**
 * The `.leaves` file beside each segment: the hex leaf hash of every record, one per line — the
 * Digest form itself, so writing it is one join and checking it one comparison. It is not
 * trusted (the signed roots decide) but it lets the verifier name the record that changed.
 */

/** Why a leaf index file cannot be used (a plain string would be ambiguous with a digest). */
export interface LeavesProblem {
  readonly problem: string;
}

const HEX_SIZE = 2 * HASH_SIZE;
/** One line: 64 hex digits and its newline. */
const LINE_SIZE = HEX_SIZE + 1;
const HEX_LINE = /^[0-9a-f]{64}$/;
/** The ASCII codes of the lowercase hex digits. */
const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
/** A byte's two hex digits as they lie in memory, read as a little-endian 16-bit number. */
const HEX_PAIRS = new Uint16Array(256);
for (let b = 0; b < 256; b++) HEX_PAIRS[b] = HEX_DIGITS[b >> 4]! | (HEX_DIGITS[b & 15]! << 8);

/** The index text for some digests. */
export function formatLeaves(digests: readonly Digest[]): string {
  return digests.length === 0 ? "" : `${digests.join("\n")}\n`;
}

/** The index text as bytes, for appending to the file. */
export function leavesBytes(digests: readonly Digest[]): Buffer {
  return Buffer.from(formatLeaves(digests), "latin1");
}

/** The index file's bytes for packed digests, each line written digit by digit (no hex string, no copy per line). */
export function packedLeavesBytes(digests: PackedDigests): Buffer {
  const out = Buffer.allocUnsafe(countOf(digests) * LINE_SIZE);
  let at = 0;
  for (let d = 0; d < digests.length; ) {
    for (const end = d + HASH_SIZE; d < end; d++) {
      const b = digests[d]!;
      out[at++] = HEX_DIGITS[b >> 4]!;
      out[at++] = HEX_DIGITS[b & 15]!;
    }
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * Whether `bytes` is exactly the index file of `digests` (packedLeavesBytes), compared in place: the
 * verifier's usual case, an index that lists its segment's records, costs no copy of either. Four
 * digits (two digest bytes) are compared at a time.
 */
export function isLeavesOf(bytes: Uint8Array, digests: PackedDigests): boolean {
  if (bytes.length !== countOf(digests) * LINE_SIZE) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let d = 0; d < digests.length; ) {
    for (const end = d + HASH_SIZE; d < end; d += 2) {
      if (view.getInt32(at, true) !== (HEX_PAIRS[digests[d]!]! | (HEX_PAIRS[digests[d + 1]!]! << 16))) {
        return false;
      }
      at += 4;
    }
    if (bytes[at++] !== 0x0a) return false;
  }
  return true;
}

/**
 * A `.leaves` file's lines built while the records are hashed: each leaf hash, given as the 32-character
 * binary string hashAt returns, goes straight to its hex line in one reused buffer — no packed copy,
 * no hex string, no per-line copy.
 */
export class LeafLines {
  private buf = Buffer.allocUnsafe(LINE_SIZE * 16384);
  private length = 0;

  /** Lines added since the last reset. */
  get count(): number {
    return this.length / LINE_SIZE;
  }

  /** Appends the line of one digest (32 raw bytes in a binary string). */
  add(raw: string): void {
    if (this.length + LINE_SIZE > this.buf.length) {
      const bigger = Buffer.allocUnsafe(2 * this.buf.length);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    const { buf } = this;
    let at = this.length;
    for (let k = 0; k < HASH_SIZE; k++) {
      const c = raw.charCodeAt(k);
      buf[at++] = HEX_DIGITS[c >> 4]!;
      buf[at++] = HEX_DIGITS[c & 15]!;
    }
    buf[at++] = 0x0a;
    this.length = at;
  }

  /** The lines so far; a view that the next add or reset overwrites. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/**
 * Reads a leaf index in time linear in its size and constant stack: the line layout is checked by
 * position and the digits by one hex round trip, with no regex over the file (a backtracking
 * pattern over a 100,000-line file overflows the stack).
 */
export function parseLeaves(text: string): Digest[] | LeavesProblem {
  if (!wellFormed(text)) return describeProblem(text);
  const digests: Digest[] = new Array(text.length / LINE_SIZE);
  for (let i = 0; i < digests.length; i++) digests[i] = text.slice(i * LINE_SIZE, i * LINE_SIZE + HEX_SIZE);
  return digests;
}

/** Every line exactly 64 lowercase hex digits and its newline. */
function wellFormed(text: string): boolean {
  if (text.length % LINE_SIZE !== 0) return false;
  for (let nl = HEX_SIZE; nl < text.length; nl += LINE_SIZE) {
    if (text.charCodeAt(nl) !== 0x0a) return false;
  }
  const hex = text.replaceAll("\n", "");
  // Buffer.from stops at the first non-hex digit; the round trip also rejects upper case.
  return Buffer.from(hex, "hex").toString("hex") === hex;
}

/** The first bad line, found line by line (only on the failure path). */
function describeProblem(text: string): LeavesProblem {
  let from = 0;
  for (let line = 1; ; line++) {
    const nl = text.indexOf("\n", from);
    if (nl < 0) return { problem: "the last line is torn" };
    if (nl - from !== HEX_SIZE || !HEX_LINE.test(text.slice(from, nl))) {
      return { problem: `line ${line} is not a hex SHA-256` };
    }
    from = nl + 1;
  }
}
