/**
 * Incidents and replays as the HTML report shows them: failing before passing; in full (the recorded
 * run beside its reconstruction) or, past the few the report details, as a line with the findings
 * it hits and its actions' marks. Pure.
 */
import type { Gap } from "../model/gap.js";
import { formatOffset } from "../model/time.js";
import { gapIdentity } from "./baseline.js";
import { findingKey } from "./findings.js";
import type { FindingRow } from "./findings-view.js";
import type { FactMark, TimelineAction } from "./meta.js";
import type { TestEntry } from "./results.js";

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

/** One action in a line: how its facts fared, the worst mark standing for all. */
interface ActionChip {
  kind: string;
  name: string;
  mark: FactMark;
  label: string;
}

export interface TestSections {
  failing: TestSection[];
  passing: TestSection[];
}

export interface TestSection {
  anchor: string;
  /** `incident` or `replay`: the element's class. */
  kind: string;
  passed: boolean;
  id: string;
  title: string;
  name: string;
  state: string;
  tags: string[];
  gapCount: number;
  /**
   * The findings its gaps belong to, in the findings' order, with how many gaps; `isNew` when the
   * finding was there before but this test's gaps in it are new (it spread here).
   */
  findings: { label: string; anchor: string; times: string; status: string; isNew: boolean }[];
  agent?: { failed: boolean; code?: string; message?: string };
  failures: string[];
  /** Shown in full: `runs` hold the timeline; else `lines` hold each run's actions in a line. */
  detailed: boolean;
  source?: string;
  runs: { traceId: string; rows: TimelineRow[] }[];
  lines: { traceId: string; actions: ActionChip[] }[];
}

export const MARK_LABEL: Record<FactMark, string> = {
  present: "kept",
  masked: "masked",
  missing: "missing",
  expired: "expired",
  "not-emitted": "never emitted",
  unchecked: "not checked",
};

/** Worst first: the mark an action's line shows. */
const MARK_ORDER: readonly FactMark[] = [
  "missing",
  "not-emitted",
  "expired",
  "masked",
  "unchecked",
  "present",
];

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

/** The report stores offsets as milliseconds to the microsecond (`timelineOf`); back to exact nanoseconds. */
function offsetNanos(offsetMs: number): bigint {
  return BigInt(Math.round(offsetMs * 1000)) * 1000n;
}

function timelineRow(a: TimelineAction): TimelineRow {
  return {
    offset: a.offsetMs !== undefined ? formatOffset(offsetNanos(a.offsetMs)) : "",
    depthClass: `depth-${Math.min(a.depth, 8)}`,
    kind: a.kind,
    name: a.name,
    failed: a.failed,
    hasRecord: a.hasRecord,
    recorded: a.facts.flatMap((f) =>
      f.recorded !== undefined && !STRUCTURE.has(f.fact) ? [{ fact: f.fact, value: f.recorded }] : [],
    ),
    reconstructed: reconstructed(a.facts),
  };
}

function chip(a: TimelineAction): ActionChip {
  const marks = new Set(a.facts.map((f) => f.stored));
  const mark = MARK_ORDER.find((m) => marks.has(m)) ?? "unchecked";
  return { kind: a.kind, name: a.name, mark, label: MARK_LABEL[mark] };
}

export const gapsOf = (t: TestEntry): Gap[] => (t.result?.verdicts ?? []).flatMap((v) => v.gaps);

export interface SectionContext {
  readonly detailed: ReadonlySet<string>;
  readonly findingOf: ReadonlyMap<string, FindingRow>;
  /** Identities of the gaps the baseline doesn't have; empty without a baseline. */
  readonly newGaps: ReadonlySet<string>;
  readonly anchorOf: (t: TestEntry) => string;
}

function findingsHit(t: TestEntry, ctx: SectionContext): TestSection["findings"] {
  const hits = new Map<FindingRow, { count: number; isNew: boolean }>();
  for (const g of gapsOf(t)) {
    const f = ctx.findingOf.get(findingKey(g));
    if (!f) continue;
    const hit = hits.get(f) ?? { count: 0, isNew: false };
    hit.count++;
    hit.isNew ||= ctx.newGaps.has(gapIdentity(t.id, g));
    hits.set(f, hit);
  }
  return [...hits]
    .sort(([a], [b]) => a.index - b.index)
    .map(([f, hit]) => ({
      label: f.label,
      anchor: f.anchor,
      times: hit.count > 1 ? `×${hit.count}` : "",
      status: f.status ?? "current",
      isNew: hit.isNew && f.status === "unchanged",
    }));
}

export function section(t: TestEntry, ctx: SectionContext): TestSection {
  const detailed = ctx.detailed.has(t.id);
  const runs = t.result?.runs ?? [];
  const gapCount = gapsOf(t).length;
  return {
    anchor: ctx.anchorOf(t),
    kind: t.result?.kind ?? t.kind,
    passed: t.state === "passed",
    id: t.result?.id ?? t.id,
    title: t.result?.title ?? t.name,
    name: t.name,
    state: t.state,
    tags: t.result?.tags ?? [],
    gapCount,
    findings: findingsHit(t, ctx),
    ...(t.result?.agent ? { agent: t.result.agent } : {}),
    // A line's gaps say what its failure messages would.
    failures: detailed || gapCount === 0 ? t.failures : [],
    detailed,
    ...(t.result?.source ? { source: t.result.source } : {}),
    runs: detailed ? runs.map((run) => ({ traceId: run.traceId, rows: run.actions.map(timelineRow) })) : [],
    lines: detailed ? [] : runs.map((run) => ({ traceId: run.traceId, actions: run.actions.map(chip) })),
  };
}

/** Failing (and any not passed) first, then passing, each in test order. */
export function sections(tests: readonly TestEntry[], ctx: SectionContext): TestSections | undefined {
  if (tests.length === 0) return undefined;
  const all = failingFirst(tests).map((t) => section(t, ctx));
  return { failing: all.filter((s) => !s.passed), passing: all.filter((s) => s.passed) };
}

const STATE_ORDER: Record<string, number> = { failed: 0, skipped: 1, passed: 2 };

/** Failing tests first, then skipped, then passing; test order within each (a stable sort). */
export function failingFirst<T extends { state: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (STATE_ORDER[a.state] ?? 1) - (STATE_ORDER[b.state] ?? 1));
}
