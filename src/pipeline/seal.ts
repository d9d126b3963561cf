import { CompactRange } from "../integrity/compact-range.js";
import { DigestPacker } from "../integrity/packed-digests.js";
import { LineEncoder } from "../integrity/record-bytes.js";
import {
  encodeBatches,
  type LineEnds,
  packLeavesOf,
  sealPacked,
  verifyPackedSeal,
} from "../integrity/seal-records.js";
import type { SpanRecord } from "../model/record.js";
import type { StoredRecord, StreamSummary } from "./types.js";

export type Sealed = NonNullable<StreamSummary["sealed"]>;

/**
 * The JSON line of each record one run stores, for a pipeline with several sealed streams: a record
 * stored as it arrived is the same object in every stream that stores it, and is stringified once.
 * Kept for one run only (nothing changes a record while its run is sealed).
 */
export class RunLines {
  private readonly lines = new Map<SpanRecord, string>();

  of(record: SpanRecord): string {
    let line = this.lines.get(record);
    if (line === undefined) {
      line = JSON.stringify(record);
      this.lines.set(record, line);
    }
    return line;
  }
}

/** The JSON line of each stored record, as the production writer writes it. */
export function linesOf(kept: readonly StoredRecord[], lines?: RunLines): string[] {
  return kept.map(lines ? (s) => lines.of(s.record) : (s) => JSON.stringify(s.record));
}

/** What a run's seal says once its bytes are hashed: the root a checkpoint would sign, and the verdict. */
export interface BytesVerdict {
  readonly root: Buffer;
  readonly valid: boolean;
  readonly findings: string[];
}

/**
 * The part of sealing that needs only the encoded lines: each line's leaf hash, taken where it lies,
 * the run's root, the stream's log, and the verifier's judgement (the one `trailcheck verify` uses) of
 * the stored lines against the seal. A sealer in this thread and one in a worker run this same code on
 * the same bytes, run after run in the same order, so their seals cannot differ.
 */
export class BytesSeal {
  private packer = new DigestPacker(1);

  /** `log`, when given, takes each run's leaves: the stream's whole sealed log. */
  constructor(private readonly log?: CompactRange) {}

  /** A run of `size` lines begins. */
  open(size: number): void {
    this.packer = new DigestPacker(size);
  }

  /**
   * Hashes lines from..to of an encoded batch (packLeavesOf): line k ends at `ends.endOf(k)`, the first
   * starts at `start`. Returns where the next line starts.
   */
  hash(buf: Buffer, ends: LineEnds, from: number, to: number, start: number): number {
    return packLeavesOf(buf, ends, from, to, start, this.packer);
  }

  /** The run is whole: its root (the log takes its leaves too), and the verifier's verdict on it. */
  close(): BytesVerdict {
    const seal = sealPacked(this.packer.finish(), this.log);
    this.packer = new DigestPacker(1);
    const result = verifyPackedSeal(seal.leaves, seal);
    return { root: seal.root, valid: result.valid, findings: result.findings.map((f) => f.message) };
  }
}

/**
 * Opens a run of these lines on `bytes` and hashes them, encoded here: closing it then seals it as the
 * production writer would (one JSON line a record, RFC 9162 leaves) and verifies it with the verifier
 * `trailcheck verify` uses.
 */
function hashHere(lines: readonly string[], encoder: LineEncoder, bytes: BytesSeal): BytesSeal {
  bytes.open(lines.length);
  encodeBatches(lines, encoder, (buf, count) => bytes.hash(buf, encoder, 0, count, 1));
  return bytes;
}

function sealedOf(size: number, { root, valid, findings }: BytesVerdict): Sealed {
  return { size, root: root.toString("hex"), valid, findings };
}

/** Sealed with the whole input at once: one stream's stored records as one run. */
export function sealAndVerify(kept: readonly StoredRecord[]): Sealed {
  const lines = linesOf(kept);
  return sealedOf(lines.length, hashHere(lines, new LineEncoder(), new BytesSeal()).close());
}

/**
 * Where a pipeline's sealed streams are sealed, each stream's runs in the order given: in this thread
 * (InThreadSealer), or elsewhere by the same BytesSeal code (the CLI's worker thread).
 *
 * A run's seal changes its verdict only if it fails verification (store-gaps.ts), and a seal of the
 * lines just sealed fails only if they changed after sealing. So a sealer that seals elsewhere gives no
 * seal at once: the run is judged as if its seal held, and `settle(true)` confirms every seal. If one
 * failed, the check throws SealsFailed and every verdict given so far is void: the caller checks the
 * input again with the seals made in its own thread, and reports what that says.
 */
export interface Sealer {
  /**
   * Seals the run's lines as the next run of sealed stream `log` (the pipeline's sealed streams,
   * numbered from 0): its seal, or undefined when the seal is made elsewhere.
   */
  seal(log: number, lines: readonly string[]): Sealed | undefined;
  /** The whole log of sealed stream `log`, as sealed so far (after `settle(true)`). */
  summary(log: number): Sealed;
  /**
   * For a sealer that seals elsewhere: resolves once few enough runs are out to go on reading, or, with
   * `all`, once every seal is made and each log's summary is in; undefined when there is nothing to wait for.
   */
  settle?(all: boolean): Promise<void> | undefined;
}

/** A seal made elsewhere failed verification: the verdicts given without it are void (see Sealer). */
export class SealsFailed extends Error {}

/** What a stream's whole log says of its runs: invalid once one run is, and what failed. */
export class LogVerdict {
  private valid = true;
  private readonly findings: string[] = [];
  private size = 0;

  note(size: number, verdict: { readonly valid: boolean; readonly findings: readonly string[] }): void {
    this.size += size;
    if (!verdict.valid) this.valid = false;
    // Enough to say what failed without growing with the input.
    for (const f of verdict.findings) if (this.findings.length < 20) this.findings.push(f);
  }

  summary(root: Buffer): Sealed {
    return { size: this.size, root: root.toString("hex"), valid: this.valid, findings: [...this.findings] };
  }
}

/**
 * One stream's sealed log as runs are released: each run is sealed and verified at audit time, and the
 * log's root grows without keeping the records. Nothing in the simulation tampers with the store, so a
 * finding here means the records changed after sealing. Where the bytes are (this thread or a worker),
 * `bytes` seals each run and `close` notes its verdict.
 */
export class SealedLog {
  private readonly range = new CompactRange();
  readonly bytes = new BytesSeal(this.range);
  private readonly verdict = new LogVerdict();

  /** The run of `size` lines opened on `bytes` is whole: its seal, noted in the log's verdict. */
  close(size: number): BytesVerdict {
    const verdict = this.bytes.close();
    this.verdict.note(size, verdict);
    return verdict;
  }

  /** The whole log as sealed so far. */
  summary(): Sealed {
    return this.verdict.summary(this.range.root());
  }
}

/** A SealedLog whose runs are sealed in this thread, from their records. */
export class StreamSeal {
  private readonly log = new SealedLog();
  private readonly encoder = new LineEncoder();

  /**
   * Seals one run's stored records and verifies them: the run's own verdict on the log. `lines`, when
   * given, is shared by the run's other sealed streams.
   */
  add(kept: readonly StoredRecord[], lines?: RunLines): Sealed {
    return this.addLines(linesOf(kept, lines));
  }

  addLines(lines: readonly string[]): Sealed {
    hashHere(lines, this.encoder, this.log.bytes);
    return sealedOf(lines.length, this.log.close(lines.length));
  }

  summary(): Sealed {
    return this.log.summary();
  }
}

/** Seals every run at once, in this thread: the default, and what the whole-input check uses. */
export class InThreadSealer implements Sealer {
  private readonly logs: StreamSeal[] = [];

  seal(log: number, lines: readonly string[]): Sealed {
    this.logs[log] ??= new StreamSeal();
    return this.logs[log].addLines(lines);
  }

  summary(log: number): Sealed {
    this.logs[log] ??= new StreamSeal();
    return this.logs[log].summary();
  }
}
