import type { AuditReport } from "./schema.js";

/** A label value as the exposition formats quote it: backslash, double quote and newline escaped. */
export function labelValue(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(",")}}`;

const VERDICTS = ["reconstructable", "incomplete", "pending"] as const;
const KINDS = ["rate", "silence"] as const;

/**
 * The audit as OpenMetrics text, for a Prometheus textfile collector or a push gateway: runs per agent
 * and verdict in the window, the incomplete ratio (absent without a finished run), and each alert as
 * 0 or 1. Ends in `# EOF`.
 */
export function formatOpenMetrics(report: AuditReport): string {
  const lines = [
    "# TYPE trailcheck_audit_runs gauge",
    "# HELP trailcheck_audit_runs Runs whose root started in the audit window, by verdict.",
  ];
  for (const a of report.agents) {
    for (const verdict of VERDICTS) {
      lines.push(
        `trailcheck_audit_runs${labels({ service: a.service, agent: a.agent, verdict })} ${a.runs[verdict]}`,
      );
    }
  }
  lines.push(
    "# TYPE trailcheck_audit_incomplete_ratio gauge",
    "# HELP trailcheck_audit_incomplete_ratio Incomplete runs over finished runs in the audit window.",
  );
  for (const a of report.agents) {
    if (a.incompleteRate === null) continue;
    lines.push(
      `trailcheck_audit_incomplete_ratio${labels({ service: a.service, agent: a.agent })} ${a.incompleteRate}`,
    );
  }
  lines.push(
    "# TYPE trailcheck_audit_baseline_incomplete_ratio gauge",
    "# HELP trailcheck_audit_baseline_incomplete_ratio The baseline rate (k+1)/(n+2) the window is tested against.",
  );
  for (const a of report.agents) {
    lines.push(
      `trailcheck_audit_baseline_incomplete_ratio${labels({ service: a.service, agent: a.agent })} ${a.baselineRate}`,
    );
  }
  lines.push(
    "# TYPE trailcheck_audit_alert gauge",
    "# HELP trailcheck_audit_alert 1 while the alert fires: rate (incomplete rate jumped) or silence (telemetry stopped).",
  );
  for (const a of report.agents) {
    for (const kind of KINDS) {
      lines.push(
        `trailcheck_audit_alert${labels({ service: a.service, agent: a.agent, kind })} ${a.alert?.kind === kind ? 1 : 0}`,
      );
    }
  }
  lines.push(
    "# TYPE trailcheck_audit_store_runs gauge",
    "# HELP trailcheck_audit_store_runs Runs of the window and the baseline with a span in the store; 0: nothing to audit.",
  );
  for (const s of report.stores)
    lines.push(`trailcheck_audit_store_runs${labels({ store: s.spec })} ${s.runs}`);
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
