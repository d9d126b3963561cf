import { join } from "node:path";
import { writeFileAtomic } from "../integrity/atomic-write.js";
import { formatOpenMetrics } from "./openmetrics.js";
import type { AuditReport } from "./schema.js";

/** The files `--output DIR` writes, each atomically. */
export const AUDIT_FILES = ["audit.json", "audit.prom"] as const;

export function auditJsonText(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes audit.json and audit.prom into `dir` (created if needed); returns the paths. */
export async function writeAuditOutput(dir: string, report: AuditReport): Promise<string[]> {
  const texts: Record<(typeof AUDIT_FILES)[number], string> = {
    "audit.json": auditJsonText(report),
    "audit.prom": formatOpenMetrics(report),
  };
  const written: string[] = [];
  for (const name of AUDIT_FILES) {
    await writeFileAtomic(join(dir, name), texts[name]);
    written.push(join(dir, name));
  }
  return written;
}
