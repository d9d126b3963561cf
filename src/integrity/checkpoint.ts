import type { KeyObject } from "node:crypto";
import { HASH_SIZE } from "./hash.js";
import type { SigningKey } from "./keys.js";
import { parseNote, signNote, verifyNote } from "./signed-note.js";

/** The promise a writer makes about how often it publishes; signed, so a verifier can hold it to it. */
export interface Cadence {
  /** A checkpoint at least every this many records (0: no record-count cadence). */
  readonly records: number;
  /** A checkpoint (a heartbeat if nothing happened) at least every this many ms (0: none). */
  readonly intervalMs: number;
}

/**
 * A tlog checkpoint in the spirit of C2SP tlog-checkpoint: origin, tree size and root hash, then
 * trailcheck's extension lines — time, sequence number, cadence and an optional `final` marker.
 */
export interface Checkpoint {
  /** Names the log; also the signer's key name. */
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
  /** When the writer published it (ms precision). */
  readonly time: Date;
  /** 1, 2, 3 … with no gaps: a missing number is a deleted checkpoint. */
  readonly seq: number;
  readonly cadence: Cadence;
  /** The writer closed the log here: no later checkpoint is due. */
  readonly final: boolean;
}

const ORIGIN = /^[\x21-\x7e]{1,255}$/;
const DECIMAL = /^(0|[1-9]\d{0,15})$/;
const TIME = /^time (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;
const SEQ = /^seq ([1-9]\d{0,15})$/;
const CADENCE = /^cadence records=(0|[1-9]\d{0,15}) interval-ms=(0|[1-9]\d{0,15})$/;

export function formatCheckpointBody(cp: Checkpoint): string {
  const lines = [
    cp.origin,
    String(cp.size),
    cp.root.toString("base64"),
    `time ${cp.time.toISOString()}`,
    `seq ${cp.seq}`,
    `cadence records=${cp.cadence.records} interval-ms=${cp.cadence.intervalMs}`,
  ];
  if (cp.final) lines.push("final");
  return `${lines.join("\n")}\n`;
}

/**
 * The time a writer puts in its next checkpoint: its clock, or the previous checkpoint's time when the
 * clock is behind it (an NTP step back, a restored VM). Verification reads a checkpoint dated before
 * its predecessor as a replayed one, and a writer refuses to extend a log that fails so: a clock set
 * back must not turn an honest log into "tampering found". The checkpoint then says "no earlier than".
 */
export function checkpointTime(clock: Date, previous: Date | undefined): Date {
  return previous && clock.getTime() < previous.getTime() ? previous : clock;
}

export function signCheckpoint(cp: Checkpoint, key: SigningKey): string {
  if (!ORIGIN.test(cp.origin))
    throw new RangeError(`origin ${JSON.stringify(cp.origin)} must be printable ASCII`);
  return signNote(formatCheckpointBody(cp), key);
}

function safeInt(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Reads a checkpoint body line by line; anything not in the exact format is an error. */
export function parseCheckpointBody(body: string): Checkpoint | string {
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 6 || lines.length > 7) return `expected 6 or 7 body lines, found ${lines.length}`;
  const [origin, sizeLine, rootLine, timeLine, seqLine, cadenceLine, finalLine] = lines as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (!ORIGIN.test(origin)) return "line 1: origin must be printable ASCII without spaces";
  const size = DECIMAL.test(sizeLine) ? safeInt(sizeLine) : undefined;
  if (size === undefined) return "line 2: tree size must be a decimal without leading zeros";
  const root = Buffer.from(rootLine, "base64");
  if (root.length !== HASH_SIZE || root.toString("base64") !== rootLine)
    return "line 3: root must be 32 bytes of base64";
  const time = TIME.exec(timeLine);
  const date = time ? new Date(time[1]!) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString() !== time![1]) {
    return "line 4: expected `time YYYY-MM-DDTHH:MM:SS.sssZ`";
  }
  const seq = SEQ.exec(seqLine);
  const seqNo = seq ? safeInt(seq[1]!) : undefined;
  if (seqNo === undefined) return "line 5: expected `seq N` with N ≥ 1";
  const cadence = CADENCE.exec(cadenceLine);
  const records = cadence ? safeInt(cadence[1]!) : undefined;
  const intervalMs = cadence ? safeInt(cadence[2]!) : undefined;
  if (records === undefined || intervalMs === undefined)
    return "line 6: expected `cadence records=N interval-ms=M`";
  if (finalLine !== undefined && finalLine !== "final") return "line 7: only `final` may follow the cadence";
  return {
    origin,
    size,
    root,
    time: date,
    seq: seqNo,
    cadence: { records, intervalMs },
    final: finalLine === "final",
  };
}

/** A checkpoint file's outcome: its content when it parses and carries a valid signature. */
export type CheckpointCheck =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly text: string }
  | { readonly ok: false; readonly reason: "malformed" | "signature"; readonly message: string };

/** A signed checkpoint is a few hundred bytes; a file this long is not one, and readers need not read more. */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;

/** Parses a signed checkpoint strictly and checks it carries a valid signature by `publicKey`. */
export function openCheckpoint(text: string, publicKey: KeyObject): CheckpointCheck {
  if (Buffer.byteLength(text) > MAX_CHECKPOINT_BYTES) {
    return {
      ok: false,
      reason: "malformed",
      message: `longer than ${MAX_CHECKPOINT_BYTES} bytes: not a checkpoint`,
    };
  }
  const note = parseNote(text);
  if (typeof note === "string") return { ok: false, reason: "malformed", message: note };
  const checkpoint = parseCheckpointBody(note.body);
  if (typeof checkpoint === "string") return { ok: false, reason: "malformed", message: checkpoint };
  const bad = verifyNote(note, checkpoint.origin, publicKey);
  if (bad) return { ok: false, reason: "signature", message: bad };
  return { ok: true, checkpoint, text };
}
