import { CompactRange } from "../integrity/compact-range.js";
import { LineEncoder } from "../integrity/record-bytes.js";
import { sealLines, verifyPackedSeal } from "../integrity/seal-records.js";
import type { StoredRecord, StreamSummary } from "./types.js";

type Sealed = NonNullable<StreamSummary["sealed"]>;

/** Sealed with the whole input at once: one stream's stored records as one run. */
export function sealAndVerify(kept: readonly StoredRecord[]): Sealed {
  return new StreamSeal().add(kept);
}

/**
 * One stream's sealed log as runs are released. Each run's records are sealed as the production
 * writer would (one JSON line a record, RFC 9162 leaves) and verified at audit time with the verifier
 * `trailcheck verify` uses; the log's root grows without keeping the records. Nothing in the
 * simulation tampers with the store, so a finding here means the records changed after sealing.
 */
export class StreamSeal {
  private readonly range = new CompactRange();
  private readonly encoder = new LineEncoder();
  private valid = true;
  private readonly findings: string[] = [];

  /** Seals one run's stored records and verifies them: the run's own verdict on the log. */
  add(kept: readonly StoredRecord[]): Sealed {
    const seal = sealLines(
      kept.map((s) => JSON.stringify(s.record)),
      this.encoder,
      this.range,
    );
    // The stored lines are the very lines just sealed (one array, one call): their leaf hashes are
    // taken once, and the verifier judges them against the seal's root and leaf index.
    const result = verifyPackedSeal(seal.leaves, seal);
    const findings = result.findings.map((f) => f.message);
    if (!result.valid) this.valid = false;
    // Enough to say what failed without growing with the input.
    for (const f of findings) if (this.findings.length < 20) this.findings.push(f);
    return { size: seal.size, root: seal.root.toString("hex"), valid: result.valid, findings };
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
