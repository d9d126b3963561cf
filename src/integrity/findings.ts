import type { z } from "zod";
import type { FindingKindSchema, FindingSchema, VerifyResultSchema } from "./finding-schemas.js";

// The schemas live apart, so that verifying a log (which only builds findings) doesn't load zod.
export type FindingKind = z.infer<typeof FindingKindSchema>;
export type Finding = z.infer<typeof FindingSchema>;
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
