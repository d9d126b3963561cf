import { type Digest, HASH_SIZE } from "./hash.js";

/**
 * The `.leaves` file beside each segment: the hex leaf hash of every record, one per line. It is
 * not trusted — the signed roots decide — but it lets the verifier name the record that changed.
 */

/** Why a leaf index file cannot be used (a plain string would be ambiguous with a digest). */
export interface LeavesProblem {
  readonly problem: string;
}

const LEAVES_TEXT = /^(?:[0-9a-f]{64}\n)*$/;
const HEX_SIZE = 2 * HASH_SIZE;

/** One regex and one hex decode for the whole file, not one per line. */
export function parseLeaves(text: string): Digest[] | LeavesProblem {
  if (!LEAVES_TEXT.test(text)) {
    const bad = text
      .split("\n")
      .findIndex((line, i, all) => !/^[0-9a-f]{64}$/.test(line) && i < all.length - 1);
    return { problem: bad >= 0 ? `line ${bad + 1} is not a hex SHA-256` : "the last line is torn" };
  }
  const binary = Buffer.from(text.replaceAll("\n", ""), "hex").toString("latin1");
  const digests: Digest[] = [];
  for (let at = 0; at < binary.length; at += HASH_SIZE) digests.push(binary.slice(at, at + HASH_SIZE));
  return digests;
}

/** The text for some digests: one hex encode for the batch, then cut into lines. */
export function formatLeaves(digests: readonly Digest[]): string {
  const hex = Buffer.from(digests.join(""), "latin1").toString("hex");
  let out = "";
  for (let at = 0; at < hex.length; at += HEX_SIZE) out += `${hex.slice(at, at + HEX_SIZE)}\n`;
  return out;
}
