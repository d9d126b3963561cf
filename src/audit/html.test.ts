import { describe, expect, it } from "vitest";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { TRACE_ID } from "../testing/records.js";
import { genAiRun } from "../testing/runs.js";
import type { AuditOutcome } from "./audit.js";
import { formatAuditText } from "./format-text.js";
import { formatAuditHtml } from "./html.js";
import { runFactsOf } from "./run-facts.js";
import type { AuditReport } from "./schema.js";

const HOSTILE = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>';

function outcome(): AuditOutcome {
  // The run without its tool span: the model's request is unaccounted for.
  const records = genAiRun().records.filter((r) => r.kind !== "tool");
  const facts = runFactsOf(TRACE_ID, records, BUILTIN_PROFILES.reconstructable!);
  const report: AuditReport = {
    version: 1,
    window: { from: "2026-01-15T09:00:00.000Z", to: "2026-01-15T10:00:00.000Z" },
    baseline: { from: "2026-01-14T09:00:00.000Z", to: "2026-01-15T09:00:00.000Z" },
    now: "2026-01-15T10:00:00.000Z",
    profile: "reconstructable",
    settings: { grace: "15m", minRuns: 50, alpha: 0.001, logging: null },
    stores: [
      {
        spec: "file:/x",
        read: 1,
        skipped: 0,
        spans: 3,
        runs: 1,
        edge: null,
        integrity: null,
        retention: null,
      },
    ],
    ledgers: [],
    agents: [
      {
        service: HOSTILE,
        agent: "weather",
        runs: { reconstructable: 1, incomplete: 1, pending: 0 },
        baselineRuns: { reconstructable: 10, incomplete: 0, pending: 0 },
        incompleteRate: 0.5,
        baselineRate: 1 / 12,
        reasons: { "unaccounted-tool-call": 1 },
        alert: null,
        series: {
          from: "2026-01-14T09:00:00.000Z",
          step: "1h",
          finished: Array(25)
            .fill(0)
            .map((_, i) => (i % 3) + 1),
          incomplete: Array(25)
            .fill(0)
            .map((_, i) => i % 2),
        },
      },
    ],
    runs: [
      {
        traceId: TRACE_ID,
        service: HOSTILE,
        agent: "weather",
        start: "2026-01-15T09:30:00.000Z",
        verdict: "incomplete",
        reasons: [
          {
            code: "unaccounted-tool-call",
            cause: "unknown",
            fact: "tool:get_weather.record",
            message: HOSTILE,
          },
        ],
        incident: `trailcheck incident add --store file:/x --trace-id ${TRACE_ID}`,
      },
    ],
    episodes: [],
  };
  return { report, records: new Map([[TRACE_ID, records]]), facts: new Map([[TRACE_ID, facts]]) };
}

describe("audit.html", () => {
  const html = formatAuditHtml(outcome());

  it("is self-contained: no script, a strict CSP, every value escaped", () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|onerror=|src=x|https?:\/\//);
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;&quot;alert(1)&quot;&gt;");
  });

  it("shows bidirectional controls and invisible characters instead of passing them through", () => {
    const disguised = outcome();
    disguised.report.runs[0]!.reasons[0]!.message = "refund\u202e\u2066dnufer\u2069\u200b";
    const shown = formatAuditHtml(disguised);
    expect(shown).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(shown).toContain("refund&lt;U+202E&gt;&lt;U+2066&gt;dnufer&lt;U+2069&gt;&lt;U+200B&gt;");
  });

  it("draws each agent's rate over time as inline SVG", () => {
    expect(html.match(/<svg class="rate"/g)).toHaveLength(1);
    expect(html).toMatch(/<polyline class="line" points="0\.0,\d/);
  });

  it("shows no baseline rate, in the table, the chart or the text, for an agent the baseline never saw", () => {
    // The rate the window is tested against, (k+1)/(n+2), reads 50% with no baseline run at all.
    expect(html).toMatch(/<td>8\.3%<\/td>/);
    expect(html).toContain('<line class="baseline"');
    expect(formatAuditText(outcome().report)).toMatch(/ 50\.0% +8\.3%$/m);
    const unseen = outcome();
    unseen.report.agents[0] = {
      ...unseen.report.agents[0]!,
      baselineRuns: { reconstructable: 0, incomplete: 0, pending: 2 },
      baselineRate: 1 / 2,
    };
    const shown = formatAuditHtml(unseen);
    expect(shown).not.toContain("50.0%</td><td>50.0%");
    expect(shown).toMatch(/<td>50\.0%<\/td><td>—<\/td>/);
    expect(shown).not.toContain('<line class="baseline"');
    expect(formatAuditText(unseen.report)).toMatch(/ 50\.0% +—$/m);
  });

  it("draws each incomplete run as a timeline with what is missing and the command that makes it an incident", () => {
    expect(html).toContain(`id="run-${TRACE_ID}"`);
    expect(html).toMatch(/<tr class="missing">.*<b>missing:<\/b> get_weather/);
    expect(html).toContain(`trailcheck incident add --store file:/x --trace-id ${TRACE_ID}`);
  });

  it("times each row from the run's start as every timeline does, whole milliseconds truncated", () => {
    const offsets = [...html.matchAll(/<tr(?: class="missing")?><td class="mono muted">([^<]*)<\/td>/g)].map(
      (m) => m[1],
    );
    // agent at 1 ms, model at 2 ms (ends 2.5 ms, where its unanswered request is placed), model at 4 ms
    expect(offsets).toEqual(["+0.000s", "+0.001s", "+0.001s", "+0.003s"]);
  });
});
