import type { KeyObject } from "node:crypto";
import { type Checkpoint, openCheckpoint } from "./checkpoint.js";
import { type Finding, finding } from "./findings.js";
import type { StoredCheckpoint } from "./read-store.js";
import { checkpointFile } from "./store-layout.js";

/** A checkpoint may arrive this many cadence intervals after the previous one before it counts as missed. */
export const HEARTBEAT_SLACK = 2;

export interface AcceptedCheckpoint {
  readonly file: string;
  readonly checkpoint: Checkpoint;
  readonly text: string;
}

export interface CheckpointReview {
  readonly findings: Finding[];
  /** Checkpoints that parse, are signed by the key and sit where their sequence number says, by seq. */
  readonly accepted: AcceptedCheckpoint[];
}

function allowedGapMs(cp: Checkpoint): number {
  return cp.cadence.intervalMs * HEARTBEAT_SLACK;
}

/**
 * Judges the checkpoint files alone: signatures, sequence, time and the signed cadence. Records are
 * checked against the accepted checkpoints elsewhere.
 */
export function reviewCheckpoints(
  files: readonly StoredCheckpoint[],
  publicKey: KeyObject,
  now: Date,
): CheckpointReview {
  const findings: Finding[] = [];
  const accepted: AcceptedCheckpoint[] = [];
  for (const gap of missingSeqs(files)) {
    const message =
      gap.from === gap.to
        ? `checkpoint #${gap.from} was deleted`
        : `checkpoints #${gap.from}–#${gap.to} were deleted`;
    findings.push(finding("missing-checkpoint", message, { file: checkpointFile(gap.from) }));
  }
  for (const f of files) {
    const opened = openCheckpoint(f.text, publicKey);
    if (!opened.ok) {
      const kind = opened.reason === "signature" ? "bad-signature" : "malformed-checkpoint";
      findings.push(finding(kind, opened.message, { file: f.file }));
      continue;
    }
    const cp = opened.checkpoint;
    const origin = accepted[0]?.checkpoint.origin;
    if (cp.seq !== f.seq) {
      findings.push(
        finding(
          "replayed-checkpoint",
          `holds checkpoint #${cp.seq}, not #${f.seq}: an old checkpoint was put back`,
          {
            file: f.file,
          },
        ),
      );
    } else if (origin !== undefined && cp.origin !== origin) {
      findings.push(
        finding("replayed-checkpoint", `belongs to log ${cp.origin}, not ${origin}`, { file: f.file }),
      );
    } else {
      accepted.push({ file: f.file, checkpoint: cp, text: f.text });
    }
  }
  return { findings: findings.concat(reviewSequence(accepted), reviewFreshness(accepted, now)), accepted };
}

/**
 * The runs of sequence numbers below the highest that no file holds. One finding per run, not per
 * number: a file named 99999999.checkpoint must not make the verifier list a hundred million.
 */
function missingSeqs(files: readonly StoredCheckpoint[]): { from: number; to: number }[] {
  const seqs = [...new Set(files.map((f) => f.seq))].sort((a, b) => a - b);
  const gaps: { from: number; to: number }[] = [];
  let next = 1;
  for (const seq of seqs) {
    if (seq > next) gaps.push({ from: next, to: seq - 1 });
    next = seq + 1;
  }
  return gaps;
}

/** Consecutive checkpoints: size and time only grow, and the signed cadence is kept until the log is closed. */
function reviewSequence(accepted: readonly AcceptedCheckpoint[]): Finding[] {
  const findings: Finding[] = [];
  for (let i = 1; i < accepted.length; i++) {
    const a = accepted[i - 1]!.checkpoint;
    const { checkpoint: b, file } = accepted[i]!;
    if (b.size < a.size) {
      findings.push(
        finding("inconsistent-checkpoint", `size ${b.size} is below #${a.seq}'s ${a.size}`, { file }),
      );
    }
    const gap = b.time.getTime() - a.time.getTime();
    if (gap < 0) {
      findings.push(
        finding("replayed-checkpoint", `dated before checkpoint #${a.seq}: time went backwards`, { file }),
      );
    } else if (a.cadence.intervalMs > 0 && !a.final && gap > allowedGapMs(a)) {
      // After a final checkpoint no heartbeat is due: a writer that reopens the log later (an agent
      // started again) owes none for the time it was closed.
      findings.push(
        finding(
          "missing-heartbeat",
          `${gap} ms after checkpoint #${a.seq}; the signed cadence promises one every ${a.cadence.intervalMs} ms`,
          { file },
        ),
      );
    }
    if (a.cadence.records > 0 && b.size - a.size > a.cadence.records) {
      findings.push(
        finding(
          "missing-checkpoint",
          `${b.size - a.size} records since checkpoint #${a.seq}; the signed cadence promises one every ${a.cadence.records}`,
          { file },
        ),
      );
    }
  }
  return findings;
}

/** The newest checkpoint must be final, or recent enough that no heartbeat is overdue. */
function reviewFreshness(accepted: readonly AcceptedCheckpoint[], now: Date): Finding[] {
  const newest = accepted[accepted.length - 1];
  if (!newest)
    return [finding("no-checkpoint", "no valid signed checkpoint: nothing in this log can be trusted")];
  const cp = newest.checkpoint;
  if (cp.final) return [];
  if (cp.cadence.intervalMs === 0) {
    return [
      finding(
        "stale-checkpoint",
        `newest checkpoint #${cp.seq} is not final and the log has no heartbeat: a cut-off tail looks the same`,
        { file: newest.file },
      ),
    ];
  }
  const age = now.getTime() - cp.time.getTime();
  if (age <= allowedGapMs(cp)) return [];
  return [
    finding(
      "stale-checkpoint",
      `newest checkpoint #${cp.seq} is ${age} ms old and not final; a heartbeat was due every ${cp.cadence.intervalMs} ms`,
      { file: newest.file },
    ),
  ];
}
