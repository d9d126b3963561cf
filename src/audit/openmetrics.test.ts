import { describe, expect, it } from "vitest";
import { formatOpenMetrics, labelValue } from "./openmetrics.js";
import type { AuditReport } from "./schema.js";

const report = {
  stores: [
    { spec: "file:/var/otel/traces.json", runs: 11 },
    { spec: "s3:/mnt/archive", runs: 0 },
  ],
  agents: [
    {
      service: 'shop"eu',
      agent: "refunds\\bot\n",
      runs: { reconstructable: 8, incomplete: 2, pending: 1 },
      incompleteRate: 0.2,
      baselineRate: 0.01,
      alert: { kind: "rate" },
    },
    {
      service: "shop",
      agent: "triage",
      runs: { reconstructable: 0, incomplete: 0, pending: 0 },
      incompleteRate: null,
      baselineRate: 0.5,
      alert: { kind: "silence" },
    },
  ],
} as unknown as AuditReport;

describe("OpenMetrics output", () => {
  it("escapes label values as the exposition format requires", () => {
    expect(labelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("writes runs by verdict, the ratio where there are finished runs, every alert as 0 or 1, then # EOF", () => {
    const text = formatOpenMetrics(report);
    expect(text).toContain(
      'trailcheck_audit_runs{service="shop\\"eu",agent="refunds\\\\bot\\n",verdict="incomplete"} 2',
    );
    expect(text).toContain(
      'trailcheck_audit_incomplete_ratio{service="shop\\"eu",agent="refunds\\\\bot\\n"} 0.2',
    );
    expect(text).not.toContain('trailcheck_audit_incomplete_ratio{service="shop",agent="triage"}');
    expect(text).toContain('trailcheck_audit_alert{service="shop",agent="triage",kind="silence"} 1');
    expect(text).toContain('trailcheck_audit_alert{service="shop",agent="triage",kind="rate"} 0');
    // A store with nothing to audit shows as 0, so a scrape can alert on it.
    expect(text).toContain('trailcheck_audit_store_runs{store="s3:/mnt/archive"} 0');
    expect(text).toContain('trailcheck_audit_store_runs{store="file:/var/otel/traces.json"} 11');
    expect(text.endsWith("# EOF\n")).toBe(true);
    // Each family is declared once, before its samples.
    for (const family of ["runs", "incomplete_ratio", "baseline_incomplete_ratio", "alert", "store_runs"]) {
      const lines = text.split("\n");
      const type = lines.indexOf(`# TYPE trailcheck_audit_${family} gauge`);
      expect(type).toBeGreaterThanOrEqual(0);
      expect(lines.findIndex((l) => l.startsWith(`trailcheck_audit_${family}{`))).toBeGreaterThan(type);
    }
  });
});
