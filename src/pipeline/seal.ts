import { CompactRange } from "../integrity/compact-range.js";
import { type Seal, sealRecords, verifySealedDigests } from "../integrity/seal-records.js";
import type { StoredRecord, StreamSummary } from "./types.js";

type Sealed = NonNullable<StreamSummary["sealed"]>;

/**
 * Seals a stream's stored records as the production writer would (one JSON line a record, RFC 9162
 * leaves) and verifies them at audit time with the verifier `trailcheck verify` uses. Nothing in the
 * simulation tampers with the store, so a finding here means the records changed after sealing.
 * The stored lines are the very lines just sealed (one array, one call): their leaf hashes are taken
 * once, and the verifier judges them against the seal's root and leaf index.
 */
function sealAndVerifyLines(lines: readonly string[]): { seal: Seal; sealed: Sealed } {
  const seal = sealRecords(lines);
  const result = verifySealedDigests(seal.leaves, seal);
  const findings = result.findings.map((f) => f.message);
  return { seal, sealed: { size: seal.size, root: seal.root, valid: result.valid, findings } };
}

export function sealAndVerify(kept: readonly StoredRecord[]): Sealed {
  return sealAndVerifyLines(kept.map((s) => JSON.stringify(s.record))).sealed;
}

/**
 * One stream's sealed log as runs are released: each run's records are appended (sealed) and verified
 * when the run is audited, so the log's root grows without keeping the records.
 */
export class StreamSeal {
  private readonly range = new CompactRange();
  private valid = true;
  private readonly findings: string[] = [];

  /** Seals one run's stored records and verifies them: the run's own verdict on the log. */
  add(kept: readonly StoredRecord[]): Sealed {
    const { seal, sealed } = sealAndVerifyLines(kept.map((s) => JSON.stringify(s.record)));
    for (const leaf of seal.leaves) this.range.appendDigest(leaf);
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
