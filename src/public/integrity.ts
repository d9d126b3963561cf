/**
 * Tamper evidence for audit trails: RFC 9162 Merkle logs with signed checkpoints, a writer and an
 * OpenTelemetry exporter that produce them, a verifier, and auditor export bundles: `trailcheck/integrity`.
 * Every name is listed on purpose; `public/api.test.ts` pins them.
 */
export {
  type Cadence,
  type Checkpoint,
  openCheckpoint,
  parseCheckpointBody,
  signCheckpoint,
} from "../integrity/checkpoint.js";
export { CompactRange, rootOfLeaves } from "../integrity/compact-range.js";
export { type BundleRecord, buildBundleFiles, type Manifest } from "../integrity/export-bundle.js";
export { type ExportOutcome, exportBundle } from "../integrity/export-log.js";
export type { Selection, SelectionRequest } from "../integrity/export-selection.js";
export { FindingKindSchema, VerifyResultSchema } from "../integrity/finding-schemas.js";
export type { Finding, FindingKind, VerifyResult } from "../integrity/findings.js";
export { EMPTY_ROOT, leafHash, nodeHash } from "../integrity/hash.js";
export {
  generateKeyPair,
  keyId,
  parsePrivateKey,
  parsePublicKey,
  type SigningKey,
  signingKey,
} from "../integrity/keys.js";
export { MerkleTree } from "../integrity/merkle-tree.js";
export { verifyConsistency, verifyInclusion } from "../integrity/proof-verify.js";
export { readRecordsForSealing } from "../integrity/read-records-for-sealing.js";
export { type Seal, sealRecords, verifySealed } from "../integrity/seal-records.js";
export { SealingSpanExporter } from "../integrity/span-exporter.js";
export { spanToRecord } from "../integrity/span-record.js";
export { verifyBundle, verifyBundleFiles } from "../integrity/verify-export.js";
export {
  type LogVerification,
  type VerifyLogOptions,
  verifyLogDir,
  verifyLogStore,
} from "../integrity/verify-log.js";
export { SealedLogWriter, type SealedLogWriterOptions } from "../integrity/writer.js";
