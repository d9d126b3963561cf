import { type Digest, HASH_SIZE } from "./hash.js";

/**
 * The `.leaves` file beside each segment: the hex leaf hash of every record, one per line. It is
 * not trusted — the signed roots decide — but it lets the verifier name the record that changed.
 */

/** Why a leaf index file cannot be used (a plain string would be ambiguous with a digest). */
export interface LeavesProblem {
  readonly problem: string;
}

const HEX_SIZE = 2 * HASH_SIZE;
/** One line: 64 hex digits and its newline. */
const LINE_SIZE = HEX_SIZE + 1;
const HEX_LINE = /^[0-9a-f]{64}$/;

/**
 * Reads a leaf index in time linear in its size and constant stack: one hex decode for the whole
 * file, no regex over it (a backtracking pattern over a 100,000-line file overflows the stack).
 */
export function parseLeaves(text: string): Digest[] | LeavesProblem {
  const hex = wellFormedHex(text);
  if (hex === undefined) return describeProblem(text);
  const binary = Buffer.from(hex, "hex").toString("latin1");
  const digests: Digest[] = new Array(binary.length / HASH_SIZE);
  for (let i = 0; i < digests.length; i++) digests[i] = binary.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  return digests;
}

/** The file's hex digits without newlines when every line is exactly 64 lowercase hex digits. */
function wellFormedHex(text: string): string | undefined {
  if (text.length % LINE_SIZE !== 0) return undefined;
  for (let nl = HEX_SIZE; nl < text.length; nl += LINE_SIZE) {
    if (text.charCodeAt(nl) !== 0x0a) return undefined;
  }
  const hex = text.replaceAll("\n", "");
  // Buffer.from stops at the first non-hex digit; the round trip also rejects upper case.
  return Buffer.from(hex, "hex").toString("hex") === hex ? hex : undefined;
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

/** The text for some digests: one hex encode for the batch, then cut into lines. */
export function formatLeaves(digests: readonly Digest[]): string {
  const hex = Buffer.from(digests.join(""), "latin1").toString("hex");
  let out = "";
  for (let at = 0; at < hex.length; at += HEX_SIZE) out += `${hex.slice(at, at + HEX_SIZE)}\n`;
  return out;
}
