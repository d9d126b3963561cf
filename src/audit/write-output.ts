import { writeAll } from "../files/write-all.js";
import type { AuditOutcome } from "./audit.js";
import { formatAuditHtml } from "./html.js";
import { formatOpenMetrics } from "./openmetrics.js";
import type { AuditReport } from "./schema.js";

/** The files `--output DIR` writes, all or nothing. */
export const AUDIT_FILES = ["audit.json", "audit.prom", "audit.html"] as const;

export function auditJsonText(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes audit.json, audit.prom and audit.html into `dir` (created if needed); returns the paths. */
export async function writeAuditOutput(dir: string, outcome: AuditOutcome): Promise<string[]> {
  const texts: Record<(typeof AUDIT_FILES)[number], string> = {
    "audit.json": auditJsonText(outcome.report),
    "audit.prom": formatOpenMetrics(outcome.report),
    "audit.html": formatAuditHtml(outcome),
  };
  return writeAll(dir, texts);
}
