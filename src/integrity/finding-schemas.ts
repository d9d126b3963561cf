import { z } from "zod";

/**
 * Everything `verify` and `verify-export` can find. Each kind fails the run: a tamper-evident log
 * that only notes tampering would be the CloudTrail mistake again.
 */
export const FindingKindSchema = z.enum([
  "modified-record",
  "deleted-record",
  "deleted-segment",
  "inserted-record",
  "reordered-records",
  "truncated-tail",
  "inconsistent-checkpoint",
  "missing-checkpoint",
  "missing-heartbeat",
  "stale-checkpoint",
  "replayed-checkpoint",
  "bad-signature",
  "malformed-checkpoint",
  "uncovered-records",
  "unexpected-file",
  "modified-index",
  "no-checkpoint",
  "modified-file",
  "missing-file",
  "bad-proof",
  "outside-selection",
  "torn-record",
  "malformed-record",
]);

export const FindingSchema = z.object({
  kind: FindingKindSchema,
  /** Path relative to the verified directory. */
  file: z.string().optional(),
  /** Leaf index in the log (0-based), where the finding is about one record. */
  index: z.number().int().nonnegative().optional(),
  message: z.string(),
});

export const VerifyResultSchema = z.object({
  version: z.literal(1),
  valid: z.boolean(),
  findings: z.array(FindingSchema),
});
