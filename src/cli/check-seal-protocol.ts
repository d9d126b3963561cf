import type { Sealed } from "../pipeline/seal.js";

/**
 * What the check's main thread and its sealing worker (check-seal-worker.ts) send each other. A batch
 * is encoded record lines of many runs in one buffer, as LineEncoder lays them out (a spare byte, then
 * each line and its newline), cut into pieces: a piece is the next lines of one run of one sealed
 * stream; a run is one piece or several (a run of many lines is encoded a few thousand at a time).
 */
export interface BatchMessage {
  readonly kind: "batch";
  readonly bytes: Uint8Array;
  /** Where each line of the batch ends (its newline's offset). */
  readonly ends: Uint32Array;
  /** Per piece, PIECE_FIELDS numbers: sealed stream, lines, the run's size where it begins, last. */
  readonly pieces: Uint32Array;
}

export const PIECE_FIELDS = 4;
/** `pieces` holds this for the size of a piece that continues a run. */
export const CONTINUED = 0xffffffff;

/** The main thread has sent every batch: the worker answers with each sealed stream's summary. */
export interface FinishMessage {
  readonly kind: "finish";
}

/** The worker has sealed a batch (the main thread sends more once few enough are in hand). */
export interface DoneMessage {
  readonly kind: "done";
  /** The batch's buffers, handed back for the next batches. */
  readonly bytes: Uint8Array;
}

/** The worker's answer to `finish`: each sealed stream's whole log and what its runs' seals said. */
export interface LogsMessage {
  readonly kind: "logs";
  readonly logs: readonly Sealed[];
}
