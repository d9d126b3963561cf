import { parseDuration } from "../model/duration.js";
import type { SpanRecord } from "../model/record.js";
import { formatOffset, runStart } from "../model/time.js";
import type { AuditOutcome } from "./audit.js";
import { agentLabel, auditHeadline, shownBaseline, untestedAgents, untestedMessage } from "./format-text.js";
import type { RunFacts } from "./run-facts.js";
import type { AgentSummary, AuditRun } from "./schema.js";

/** How many runs the page draws as timelines; audit.json lists them all. */
export const MAX_TIMELINES = 100;
const WIDTH = 600;
const HEIGHT = 120;

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

/** The incomplete rate per bucket as an SVG polyline, with the baseline rate and the window marked. */
function chart(a: AgentSummary, windowBuckets: number) {
  const n = a.series.finished.length;
  const x = (i: number) => (n <= 1 ? 0 : (i / (n - 1)) * WIDTH);
  const y = (rate: number) => HEIGHT - rate * HEIGHT;
  const points: string[] = [];
  a.series.finished.forEach((finished, i) => {
    if (finished > 0) points.push(`${x(i).toFixed(1)},${y(a.series.incomplete[i]! / finished).toFixed(1)}`);
  });
  const windowX = x(Math.max(0, n - windowBuckets));
  return {
    width: WIDTH,
    height: HEIGHT,
    points: points.join(" "),
    dots: points.map((p) => {
      const [cx, cy] = p.split(",");
      return { cx, cy };
    }),
    ...(shownBaseline(a) === null ? {} : { baselineY: y(a.baselineRate).toFixed(1) }),
    windowX: windowX.toFixed(1),
    windowWidth: (WIDTH - windowX).toFixed(1),
    step: a.series.step,
    from: a.series.from,
  };
}

interface Row {
  readonly offset: string;
  readonly depth: number;
  readonly kind: string;
  readonly name: string;
  readonly spanId: string;
  readonly missing: boolean;
  readonly note?: string;
}

/** A run's stored spans in tree order, with what the store lacks placed where it belongs. */
function timeline(records: readonly SpanRecord[], facts: RunFacts): Row[] {
  const start = runStart(records);
  const at = (ns: string) => formatOffset(BigInt(ns) - start);
  const children = new Map<string | undefined, SpanRecord[]>();
  const ids = new Set(records.map((r) => r.spanId));
  for (const r of records) {
    const parent =
      r.parentSpanId !== undefined && ids.has(r.parentSpanId)
        ? r.parentSpanId
        : (r.parentSpanId ?? undefined);
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
  const rows: Row[] = [];
  const unaccounted = new Map<string, RunFacts["unaccounted"][number][]>();
  for (const call of facts.unaccounted) {
    const list = unaccounted.get(call.requestedBy ?? "") ?? [];
    list.push(call);
    unaccounted.set(call.requestedBy ?? "", list);
  }
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.spanId) || depth > 40) continue;
      seen.add(r.spanId);
      rows.push({ offset: at(r.start), depth, kind: r.kind, name: r.name, spanId: r.spanId, missing: false });
      for (const call of unaccounted.get(r.spanId) ?? []) {
        rows.push({
          offset: at(r.end),
          depth: depth + 1,
          kind: "tool",
          name: call.name,
          spanId: call.callId ?? "",
          missing: true,
          note: "asked for by the model above; no tool span or blocking decision is stored",
        });
      }
      walk(r.spanId, depth + 1);
    }
  };
  for (const entry of facts.missingParents) {
    rows.push({
      offset: "",
      depth: 0,
      kind: "?",
      name: facts.root || entry !== facts.missingParents[0] ? "parent not stored" : "root not stored",
      spanId: entry.parentSpanId,
      missing: true,
    });
    walk(entry.parentSpanId, 1);
  }
  walk(undefined, 0);
  return rows.map((r) => ({ ...r, depthClass: `depth-${Math.min(r.depth, 8)}` }));
}

/** Everything the page shows, as plain values: the template only lays them out (and escapes them). */
export function auditHtmlView(outcome: AuditOutcome) {
  const { report } = outcome;
  const windowMs = Date.parse(report.window.to) - Date.parse(report.window.from);
  const headline = auditHeadline(report);
  const untested = new Set(untestedAgents(report));
  const incomplete = report.runs.filter((r) => r.verdict === "incomplete");
  const drawn = incomplete.slice(0, MAX_TIMELINES).map((run: AuditRun) => {
    const records = outcome.records.get(run.traceId) ?? [];
    const facts = outcome.facts.get(run.traceId);
    return {
      ...run,
      label: agentLabel(run),
      rows: facts ? timeline(records, facts) : [],
    };
  });
  return {
    report,
    verdict: {
      text: headline.text,
      className: headline.failing ? "gaps" : headline.untested > 0 ? "warn" : "pass",
    },
    agents: report.agents.map((a) => {
      const stepMs = Number((parseDuration(a.series.step) ?? 1n) / 1_000_000n) || windowMs;
      const windowBuckets = Math.max(1, Math.round(windowMs / stepMs));
      return {
        ...a,
        label: agentLabel(a),
        untested: untested.has(a) ? untestedMessage(a, report.settings.minRuns) : "",
        total: a.runs.reconstructable + a.runs.incomplete + a.runs.pending,
        rate: pct(a.incompleteRate),
        baseline: pct(shownBaseline(a)),
        reasonList: Object.entries(a.reasons).map(([code, count]) => ({ code, count })),
        chart: chart(a, windowBuckets),
      };
    }),
    runs: drawn,
    more: incomplete.length - drawn.length,
    pending: report.runs.filter((r) => r.verdict === "pending").length,
  };
}
