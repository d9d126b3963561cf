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
export type FindingKind = z.infer<typeof FindingKindSchema>;

export const FindingSchema = z.object({
  kind: FindingKindSchema,
  /** Path relative to the verified directory. */
  file: z.string().optional(),
  /** Leaf index in the log (0-based), where the finding is about one record. */
  index: z.number().int().nonnegative().optional(),
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const VerifyResultSchema = z.object({
  version: z.literal(1),
  valid: z.boolean(),
  findings: z.array(FindingSchema),
});
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export function verifyResult(findings: readonly Finding[]): VerifyResult {
  return { version: 1, valid: findings.length === 0, findings: [...findings] };
}

export function finding(
  kind: FindingKind,
  message: string,
  where: { file?: string; index?: number } = {},
): Finding {
  return {
    kind,
    ...(where.file !== undefined ? { file: where.file } : {}),
    ...(where.index !== undefined ? { index: where.index } : {}),
    message,
  };
}

/** The terminal view: one line per finding, then a verdict line. */
export function formatFindingsText(result: VerifyResult, summary: string): string {
  const lines = result.findings.map((f) => {
    const where = [f.file, f.index !== undefined ? `record ${f.index}` : undefined].filter(Boolean).join(" ");
    return `✗ ${f.kind}${where ? ` (${where})` : ""}: ${f.message}`;
  });
  lines.push(result.valid ? `✓ valid: ${summary}` : `tampering found: ${result.findings.length} finding(s)`);
  return `${lines.join("\n")}\n`;
}

export function formatFindingsJson(result: VerifyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
