import { sealRecords, verifySealed } from "../integrity/seal-records.js";
import type { StoredRecord, StreamSummary } from "./types.js";

/**
 * Seals a stream's stored records as the production writer would (one JSON line a record, RFC 9162
 * leaves) and verifies them at audit time with the verifier `trailcheck verify` uses. Nothing in the
 * simulation tampers with the store, so a finding here means the records changed after sealing.
 */
export function sealAndVerify(kept: readonly StoredRecord[]): NonNullable<StreamSummary["sealed"]> {
  const lines = kept.map((s) => JSON.stringify(s.record));
  const seal = sealRecords(lines);
  const result = verifySealed(lines, seal);
  return {
    size: seal.size,
    root: seal.root,
    valid: result.valid,
    findings: result.findings.map((f) => f.message),
  };
}
