import type { KeyObject } from "node:crypto";
import { InputError } from "../errors.js";
import { openCheckpoint } from "./checkpoint.js";
import { type Finding, finding } from "./findings.js";
import { sameHash } from "./hash.js";
import type { MerkleTree } from "./merkle-tree.js";
import { verifyConsistency } from "./proof-verify.js";
import type { AcceptedCheckpoint } from "./verify-checkpoints.js";

/** A checkpoint the user kept outside the store (a witness, a ticket, an email): the store must extend it. */
export interface TrustedCheckpoint {
  readonly text: string;
  /** Where it came from, for messages. */
  readonly file: string;
}

/**
 * Only a checkpoint kept outside the store can catch a cut-off tail together with its checkpoints.
 * The store's newest checkpoint must be at least as new and provably extend it (RFC 9162 consistency).
 */
export function reviewAgainstTrusted(
  trusted: TrustedCheckpoint,
  publicKey: KeyObject,
  accepted: readonly AcceptedCheckpoint[],
  tree: MerkleTree,
): Finding[] {
  const stored = tree.size;
  const opened = openCheckpoint(trusted.text, publicKey);
  if (!opened.ok && opened.reason === "malformed") {
    throw new InputError("trusted-checkpoint", `not a trailcheck checkpoint: ${opened.message}`, {
      file: trusted.file,
    });
  }
  if (!opened.ok)
    return [finding("bad-signature", `trusted checkpoint: ${opened.message}`, { file: trusted.file })];
  const t = opened.checkpoint;
  const newest = accepted[accepted.length - 1];
  if (!newest) {
    return [
      finding(
        "truncated-tail",
        `the trusted checkpoint covers ${t.size} records; the store has no valid checkpoint`,
      ),
    ];
  }
  const n = newest.checkpoint;
  if (t.origin !== n.origin) {
    return [
      finding(
        "inconsistent-checkpoint",
        `trusted checkpoint is for log ${t.origin}, the store is ${n.origin}`,
      ),
    ];
  }
  const findings: Finding[] = [];
  const sameSeq = accepted.find((a) => a.checkpoint.seq === t.seq);
  if (sameSeq && sameSeq.text !== trusted.text) {
    findings.push(
      finding("inconsistent-checkpoint", `the store's checkpoint #${t.seq} differs from the trusted copy`, {
        file: sameSeq.file,
      }),
    );
  }
  if (t.size > n.size) {
    findings.push(
      finding(
        "truncated-tail",
        `trusted checkpoint #${t.seq} covers ${t.size} records; the store's newest checkpoint #${n.seq} covers ${n.size} and it holds ${stored}: the tail was cut`,
        { index: Math.min(n.size, stored) },
      ),
    );
    return findings;
  }
  if (t.seq > n.seq || t.time > n.time) {
    findings.push(
      finding(
        "replayed-checkpoint",
        `the store's newest checkpoint #${n.seq} is older than the trusted #${t.seq}`,
        {
          file: newest.file,
        },
      ),
    );
  }
  if (stored < n.size) return findings;
  if (!sameHash(tree.root(n.size), n.root)) return findings; // the records already fail the store's own checkpoint
  const problem = verifyConsistency(t.size, n.size, tree.consistencyProof(t.size, n.size), t.root, n.root);
  if (problem) {
    findings.push(
      finding(
        "inconsistent-checkpoint",
        `checkpoint #${n.seq} does not extend trusted checkpoint #${t.seq}: ${problem}`,
        {
          file: newest.file,
        },
      ),
    );
  }
  return findings;
}
