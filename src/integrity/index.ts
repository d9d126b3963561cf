/**
 * Tamper evidence for audit trails: RFC 9162 Merkle logs with signed checkpoints, a writer and an
 * OpenTelemetry exporter that produce them, a verifier, and auditor export bundles.
 */
export {
  type Cadence,
  type Checkpoint,
  openCheckpoint,
  parseCheckpointBody,
  signCheckpoint,
} from "./checkpoint.js";
export { CompactRange, rootOfLeaves } from "./compact-range.js";
export { type BundleRecord, buildBundleFiles, type Manifest } from "./export-bundle.js";
export { type ExportOutcome, exportBundle } from "./export-log.js";
export type { Selection, SelectionRequest } from "./export-selection.js";
export { FindingKindSchema, VerifyResultSchema } from "./finding-schemas.js";
export type { Finding, FindingKind, VerifyResult } from "./findings.js";
export { EMPTY_ROOT, leafHash, nodeHash } from "./hash.js";
export {
  generateKeyPair,
  keyId,
  parsePrivateKey,
  parsePublicKey,
  type SigningKey,
  signingKey,
} from "./keys.js";
export { MerkleTree } from "./merkle-tree.js";
export { verifyConsistency, verifyInclusion } from "./proof-verify.js";
export { readRecordsForSealing } from "./read-records-for-sealing.js";
export { type Seal, sealRecords, verifySealed } from "./seal-records.js";
export { SealingSpanExporter } from "./span-exporter.js";
export { spanToRecord } from "./span-record.js";
export { verifyBundle, verifyBundleFiles } from "./verify-export.js";
export { type LogVerification, type VerifyLogOptions, verifyLogDir, verifyLogStore } from "./verify-log.js";
export { SealedLogWriter, type SealedLogWriterOptions } from "./writer.js";
