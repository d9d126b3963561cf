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

/** The index text for some digests. */
export function formatLeaves(digests: readonly Digest[]): string {
  return digests.length === 0 ? "" : `${digests.join("\n")}\n`;
}

/** The index text as bytes, for appending to the file. */
export function leavesBytes(digests: readonly Digest[]): Buffer {
  return Buffer.from(formatLeaves(digests), "latin1");
}

/**
 * The index file's bytes for packed digests: one hex encode, then each line moved into place with a
 * newline after it — no string or Buffer per line.
 */
export function packedLeavesBytes(digests: PackedDigests): Buffer {
  const count = countOf(digests);
  const out = Buffer.allocUnsafe(count * LINE_SIZE);
  out.write(digests.toString("hex"), 0, "latin1");
  // From the last line back, so no line is overwritten before it has moved.
  for (let i = count - 1; i >= 0; i--) {
    out.copyWithin(i * LINE_SIZE, i * HEX_SIZE, (i + 1) * HEX_SIZE);
    out[i * LINE_SIZE + HEX_SIZE] = 0x0a;
  }
  return out;
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
