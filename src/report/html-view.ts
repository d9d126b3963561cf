import { formatProbability } from "../analyze/analyze.js";
import { LAYER_KINDS } from "../model/record.js";
import { detailedTests } from "./detail.js";
import {
  type CauseCard,
  causeCards,
  type FindingBlock,
  type FindingRow,
  findingBlocks,
  findingRows,
  type TestLink,
  testAnchor,
} from "./findings-view.js";
import type { ProbabilityRow, RetentionRow } from "./meta.js";
import type { Results, TestEntry } from "./results.js";
import { failedWithoutGapsGroups, notedGroups, skippedGroups, type TestGroup } from "./test-groups.js";
import { failingFirst, gapsOf, type SectionContext, sections, type TestSections } from "./test-view.js";

/** Everything the HTML templates show, computed here so the templates only lay it out. Pure. */
export interface HtmlView {
  readonly title: string;
  readonly verdict: { readonly className: string; readonly text: string; readonly detail: string };
  readonly generatedAt: string;
  readonly totals: Results["totals"];
  /** Against a baseline: findings and single gaps new, fixed and unchanged. */
  readonly changes?: {
    file: string;
    findings: Record<FindingBlock["status"], number>;
    gaps: Record<"new" | "fixed" | "unchanged", number>;
  };
  readonly findingBlocks: FindingBlock[];
  readonly causes: CauseCard[];
  readonly failedWithoutGaps: (TestGroup & { more: number })[];
  readonly errors: string[];
  readonly incidents?: TestSections;
  readonly replays?: TestSections;
  readonly properties: PropertySection[];
  readonly checks: { anchor: string; name: string; state: string; gaps: number }[];
  readonly notRun: (TestGroup & { more: number })[];
  readonly notes: (TestGroup & { more: number })[];
  readonly otherTests: { name: string; state: string; file: string }[];
  readonly matrix?: { streams: string[]; rows: { kind: string; cells: MatrixCell[] }[] };
  readonly retention: (RetentionRow & { className: string })[];
  readonly environment: Results["environment"];
}

interface PropertySection {
  anchor: string;
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
    detail: `in ${t.findings} finding(s) · ${t.failed} of ${t.tests} test(s) failed`,
  };
}

function changesOf(results: Results, rows: readonly FindingRow[]): HtmlView["changes"] {
  const b = results.baseline;
  if (!b) return undefined;
  const count = (status: FindingBlock["status"]) => rows.filter((r) => r.status === status).length;
  return {
    file: b.file,
    findings: {
      new: count("new"),
      fixed: count("fixed"),
      unchanged: count("unchanged"),
      current: rows.length,
    },
    gaps: { new: b.new.length, fixed: b.fixed.length, unchanged: b.unchanged.length },
  };
}

const withMore = (groups: TestGroup[]) => groups.map((g) => ({ ...g, more: g.count - g.names.length }));

export function htmlView(results: Results): HtmlView {
  const anchorOf = (t: TestEntry) => (t.result ? testAnchor(t.result.kind, t.result.id) : "");
  const links = new Map<string, TestLink>(
    results.tests.flatMap((t) => (t.result ? [[t.id, { id: t.result.id, anchor: anchorOf(t) }]] : [])),
  );
  const rows = findingRows(results, links);
  const ctx: SectionContext = {
    detailed: detailedTests(results.tests, results.findings),
    findingOf: new Map(results.findings.map((f, i) => [f.key, rows[i]!])),
    newGaps: new Set(results.baseline?.new ?? []),
    anchorOf,
  };
  const ofKind = (kind: string) => results.tests.filter((t) => t.result?.kind === kind);
  const byKind = (kind: string) => failingFirst(ofKind(kind));
  const probabilities = byKind("check").flatMap((t) => t.result?.probabilities ?? []);
  const retention = results.tests.flatMap((t) => t.result?.retention ?? []);
  const dedupe = <T>(items: T[], key: (r: T) => string) => [
    ...new Map(items.map((r) => [key(r), r])).values(),
  ];
  const changes = changesOf(results, rows);
  return {
    title: "trailcheck report",
    verdict: verdictOf(results),
    generatedAt: results.generatedAt,
    totals: results.totals,
    ...(changes ? { changes } : {}),
    findingBlocks: findingBlocks(rows, results.baseline !== undefined),
    causes: causeCards(rows),
    failedWithoutGaps: withMore(failedWithoutGapsGroups(results.tests)),
    errors: results.errors,
    incidents: sections(ofKind("incident"), ctx),
    replays: sections(ofKind("replay"), ctx),
    properties: byKind("property").map((t) => {
      const p = t.result?.property;
      return {
        anchor: anchorOf(t),
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
    checks: byKind("check").map((t) => ({
      anchor: anchorOf(t),
      name: t.result!.title,
      state: t.state,
      gaps: gapsOf(t).length,
    })),
    notRun: withMore(skippedGroups(results.tests)),
    notes: withMore(notedGroups(results.tests)),
    otherTests: failingFirst(
      results.tests
        .filter((t) => !t.result && t.state !== "skipped")
        .map((t) => ({ name: t.name, state: t.state, file: t.file })),
    ),
    matrix: matrixOf(dedupe(probabilities, (r) => `${r.stream}\u0000${r.kind}`)),
    retention: dedupe(retention, (r) => `${r.profile}\u0000${r.stream}`).map((r) => ({
      ...r,
      className: r.retention.ok && r.available.ok && r.integrity.ok ? "ok" : "bad",
    })),
    environment: results.environment,
  };
}
