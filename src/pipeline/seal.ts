import { CompactRange } from "../integrity/compact-range.js";
import { LineEncoder } from "../integrity/record-bytes.js";
import { sealLines, verifyPackedSeal } from "../integrity/seal-records.js";
import type { SpanRecord } from "../model/record.js";
import type { StoredRecord, StreamSummary } from "./types.js";

type Sealed = NonNullable<StreamSummary["sealed"]>;

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

/**
 * Seals one run's stored records as the production writer would (one JSON line a record, RFC 9162
 * leaves) and verifies them with the verifier `trailcheck verify` uses. The stored lines are the very
 * lines just sealed (one array, one call): their leaf hashes are taken once, and the verifier judges
 * them against the seal's root and leaf index. `log`, when given, takes the run's leaves too.
 */
function sealRun(
  kept: readonly StoredRecord[],
  encoder?: LineEncoder,
  log?: CompactRange,
  lines?: RunLines,
): Sealed {
  const seal = sealLines(
    kept.map(lines ? (s) => lines.of(s.record) : (s) => JSON.stringify(s.record)),
    encoder,
    log,
  );
  const result = verifyPackedSeal(seal.leaves, seal);
  const findings = result.findings.map((f) => f.message);
  return { size: seal.size, root: seal.root.toString("hex"), valid: result.valid, findings };
}

/** Sealed with the whole input at once: one stream's stored records as one run. */
export function sealAndVerify(kept: readonly StoredRecord[]): Sealed {
  return sealRun(kept);
}

/**
 * One stream's sealed log as runs are released: each run is sealed and verified at audit time
 * (sealRun), and the log's root grows without keeping the records. Nothing in the simulation tampers
 * with the store, so a finding here means the records changed after sealing.
 */
export class StreamSeal {
  private readonly range = new CompactRange();
  private readonly encoder = new LineEncoder();
  private valid = true;
  private readonly findings: string[] = [];

  /**
   * Seals one run's stored records and verifies them: the run's own verdict on the log. `lines`, when
   * given, is shared by the run's other sealed streams.
   */
  add(kept: readonly StoredRecord[], lines?: RunLines): Sealed {
    const sealed = sealRun(kept, this.encoder, this.range, lines);
    if (!sealed.valid) this.valid = false;
    // Enough to say what failed without growing with the input.
    for (const f of sealed.findings) if (this.findings.length < 20) this.findings.push(f);
    return sealed;
  }

  /** The whole log as sealed so far. */
  summary(): Sealed {
    return {
      size: this.range.size,
      root: this.range.root().toString("hex"),
      valid: this.valid,
      findings: [...this.findings],
    };
  }
}
