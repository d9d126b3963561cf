import { formatProbability } from "../analyze/analyze.js";
import { CAUSES, type Gap } from "../model/gap.js";
import { LAYER_KINDS } from "../model/record.js";
import { gapRefs } from "./baseline.js";
import type { FactMark, ProbabilityRow, RetentionRow, TimelineAction } from "./meta.js";
import type { Results, TestEntry } from "./results.js";

/** Everything the HTML templates show, computed here so the templates only lay it out. Pure. */
export interface HtmlView {
  readonly title: string;
  readonly verdict: { readonly className: string; readonly text: string; readonly detail: string };
  readonly generatedAt: string;
  readonly totals: Results["totals"];
  readonly causes: CauseGroup[];
  readonly failedWithoutGaps: { name: string; failure: string }[];
  readonly errors: string[];
  readonly incidents: ResultSection[];
  readonly replays: ResultSection[];
  readonly properties: PropertySection[];
  readonly checks: { name: string; state: string; gaps: number }[];
  readonly otherTests: { name: string; state: string; file: string }[];
  readonly matrix?: { streams: string[]; rows: { kind: string; cells: MatrixCell[] }[] };
  readonly retention: (RetentionRow & { className: string })[];
  readonly baseline?: Results["baseline"];
  readonly environment: Results["environment"];
}

interface CauseGroup {
  cause: string;
  count: number;
  hints: string[];
  gaps: (Pick<Gap, "fact" | "severity" | "stage" | "message"> & { test: string; action: string })[];
}

interface TimelineRow {
  offset: string;
  depthClass: string;
  kind: string;
  name: string;
  failed: boolean;
  hasRecord: boolean;
  recorded: { fact: string; value: string }[];
  reconstructed: { fact: string; mark: FactMark; label: string }[];
}

interface ResultSection {
  id: string;
  title: string;
  name: string;
  state: string;
  tags: string[];
  gapCount: number;
  agent?: { failed: boolean; code?: string; message?: string };
  failures: string[];
  runs: { traceId: string; rows: TimelineRow[] }[];
}

interface PropertySection {
  id: string;
  title: string;
  state: string;
  numRuns: number;
  seed: string;
  path?: string;
  replay?: string;
  counterexample?: string;
  hint?: string;
  failures: string[];
}

interface MatrixCell {
  text: string;
  className: string;
}

const MARK_LABEL: Record<FactMark, string> = {
  present: "kept",
  masked: "masked",
  missing: "missing",
  expired: "expired",
  "not-emitted": "never emitted",
  unchecked: "not checked",
};

/** Ids and links: shown by the row itself, not as recorded facts. */
const STRUCTURE: ReadonlySet<string> = new Set(["record", "traceId", "parent"]);

/**
 * The reconstruction column: one mark when every fact fared the same (`all facts · missing`),
 * else each fact that did not survive as emitted plus a count of those kept.
 */
function reconstructed(facts: readonly TimelineAction["facts"][number][]): TimelineRow["reconstructed"] {
  const states = new Set(facts.map((f) => f.stored));
  if (states.size === 1) {
    const mark = facts[0]!.stored;
    return [{ fact: "all facts", mark, label: MARK_LABEL[mark] }];
  }
  const kept = facts.filter((f) => f.stored === "present").length;
  return [
    ...facts
      .filter((f) => f.stored !== "present")
      .map((f) => ({ fact: f.fact, mark: f.stored, label: MARK_LABEL[f.stored] })),
    ...(kept > 0 ? [{ fact: `${kept} other fact(s)`, mark: "present" as const, label: "kept" }] : []),
  ];
}

const gapsOf = (t: TestEntry) => (t.result?.verdicts ?? []).flatMap((v) => v.gaps);

function section(t: TestEntry): ResultSection {
  return {
    id: t.result?.id ?? t.id,
    title: t.result?.title ?? t.name,
    name: t.name,
    state: t.state,
    tags: t.result?.tags ?? [],
    gapCount: gapsOf(t).length,
    ...(t.result?.agent ? { agent: t.result.agent } : {}),
    failures: t.failures,
    runs: (t.result?.runs ?? []).map((run) => ({
      traceId: run.traceId,
      rows: run.actions.map((a) => ({
        offset: a.offsetMs !== undefined ? `+${(a.offsetMs / 1000).toFixed(3)}s` : "",
        depthClass: `depth-${Math.min(a.depth, 8)}`,
        kind: a.kind,
        name: a.name,
        failed: a.failed,
        hasRecord: a.hasRecord,
        recorded: a.facts.flatMap((f) =>
          f.recorded !== undefined && !STRUCTURE.has(f.fact) ? [{ fact: f.fact, value: f.recorded }] : [],
        ),
        reconstructed: reconstructed(a.facts),
      })),
    })),
  };
}

function matrixOf(rows: readonly ProbabilityRow[]): HtmlView["matrix"] {
  if (rows.length === 0) return undefined;
  const streams = [...new Set(rows.map((r) => r.stream))];
  const kinds = LAYER_KINDS.filter((k) => rows.some((r) => r.kind === k));
  return {
    streams,
    rows: kinds.map((kind) => ({
      kind,
      cells: streams.map((stream) => {
        const r = rows.find((x) => x.stream === stream && x.kind === kind);
        if (!r) return { text: "not routed here", className: "p-none" };
        const values = [r.plain, r.failed, r.denied].filter((v): v is number => v !== null);
        const worst = Math.min(...values);
        return {
          text: [r.plain, r.failed, r.denied].map(formatProbability).join(" / "),
          className: worst >= 1 ? "p-all" : worst <= 0 ? "p-lost" : "p-some",
        };
      }),
    })),
  };
}

function verdictOf(results: Results): HtmlView["verdict"] {
  const t = results.totals;
  if (results.verdict === "pass")
    return {
      className: "pass",
      text: "Every run reconstructable",
      detail: `all ${t.tests - t.skipped} test(s) passed`,
    };
  if (results.verdict === "agent-failed")
    return {
      className: "agent",
      text: "The agent under test could not be run",
      detail: `${t.failed} of ${t.tests} test(s) failed`,
    };
  return {
    className: "gaps",
    text: `${t.gaps} gap(s) found`,
    detail: `${t.failed} of ${t.tests} test(s) failed`,
  };
}

export function htmlView(results: Results): HtmlView {
  const refs = gapRefs(results.tests);
  const causes: CauseGroup[] = CAUSES.flatMap((cause) => {
    const tests = results.tests.flatMap((t) =>
      gapsOf(t)
        .filter((g) => g.cause === cause)
        .map((g) => ({ t, g })),
    );
    if (tests.length === 0) return [];
    return [
      {
        cause,
        count: tests.length,
        hints: [...new Set(refs.filter((r) => r.cause === cause).map((r) => r.hint))],
        gaps: tests.map(({ t, g }) => ({
          test: t.result?.id ?? t.name,
          action: `${g.action.kind}:${g.action.name}`,
          fact: g.fact,
          severity: g.severity,
          stage: g.stage,
          message: g.message,
        })),
      },
    ];
  });
  const byKind = (kind: string) => results.tests.filter((t) => t.result?.kind === kind);
  const probabilities = byKind("check").flatMap((t) => t.result?.probabilities ?? []);
  const retention = results.tests.flatMap((t) => t.result?.retention ?? []);
  const dedupe = <T>(rows: T[], key: (r: T) => string) => [...new Map(rows.map((r) => [key(r), r])).values()];
  return {
    title: "trailcheck report",
    verdict: verdictOf(results),
    generatedAt: results.generatedAt,
    totals: results.totals,
    causes,
    failedWithoutGaps: results.tests
      .filter((t) => t.state === "failed" && gapsOf(t).length === 0)
      .map((t) => ({ name: t.name, failure: t.failures[0] ?? "failed" })),
    errors: results.errors,
    incidents: byKind("incident").map(section),
    replays: byKind("replay").map(section),
    properties: byKind("property").map((t) => {
      const p = t.result?.property;
      return {
        id: t.result!.id,
        title: t.result!.title,
        state: t.state,
        numRuns: p?.numRuns ?? 0,
        seed: p ? String(p.seed) : "",
        ...(p?.path ? { path: p.path } : {}),
        ...(p?.replay ? { replay: p.replay } : {}),
        ...(p?.counterexample ? { counterexample: p.counterexample } : {}),
        ...(p?.hint ? { hint: p.hint } : {}),
        failures: t.failures,
      };
    }),
    checks: byKind("check").map((t) => ({ name: t.result!.title, state: t.state, gaps: gapsOf(t).length })),
    otherTests: results.tests
      .filter((t) => !t.result)
      .map((t) => ({ name: t.name, state: t.state, file: t.file })),
    matrix: matrixOf(dedupe(probabilities, (r) => `${r.stream}\u0000${r.kind}`)),
    retention: dedupe(retention, (r) => `${r.profile}\u0000${r.stream}`).map((r) => ({
      ...r,
      className: r.retention.ok && r.available.ok && r.integrity.ok ? "ok" : "bad",
    })),
    ...(results.baseline ? { baseline: results.baseline } : {}),
    environment: results.environment,
  };
}
