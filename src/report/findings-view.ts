/** The findings as the HTML report shows them: what changed first, then what to do per cause. Pure. */
import { CAUSES } from "../model/gap.js";
import type { Finding, FindingStatus } from "./findings.js";
import type { Results } from "./results.js";

export interface FindingRow {
  /** Its place among the findings, from 0. */
  index: number;
  anchor: string;
  /** `F1`, `F2`…: how incidents refer to it on this page. */
  label: string;
  status?: FindingStatus;
  severity: string;
  cause: string;
  action: string;
  fact: string;
  stage: string;
  tests: number;
  runs: number;
  gaps: number;
  hint: string;
  /** Set when an earlier row of the same block gives the same fix: the row to read it in. */
  sameFixAs?: { label: string; anchor: string };
  message: string;
  /** Example tests, linked when this report holds them. */
  examples: { id: string; anchor?: string }[];
  /** Tests hit besides the examples. */
  more: number;
  /** For a finding in both: the single gaps that are new or gone (`+12 new gaps in it`). */
  change?: string;
}

export interface FindingBlock {
  status: FindingStatus | "current";
  title: string;
  /** Unchanged findings start folded away when there is something new or fixed to read. */
  open: boolean;
  rows: FindingRow[];
}

export interface CauseCard {
  cause: string;
  gaps: number;
  findings: number;
  fixes: { text: string; findings: { label: string; anchor: string }[] }[];
}

const MAX_MESSAGE = 300;
const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** An element id from a test's kind and id (ids may hold any character but white space). */
export function testAnchor(kind: string, id: string): string {
  return `${kind}-${id.replace(/\s/g, "_")}`;
}

/** Where a test is on the page, and the id it goes by there (an incident's own id). */
export interface TestLink {
  readonly id: string;
  readonly anchor: string;
}

function row(f: Finding, i: number, links: ReadonlyMap<string, TestLink>): FindingRow {
  const change = [
    f.status === "unchanged" && f.newGaps ? `+${plural(f.newGaps, "new gap")}` : "",
    f.status === "unchanged" && f.fixedGaps ? `−${plural(f.fixedGaps, "fixed gap")}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return {
    index: i,
    anchor: `finding-${i + 1}`,
    label: `F${i + 1}`,
    ...(f.status ? { status: f.status } : {}),
    severity: f.severity,
    cause: f.cause,
    action: `${f.action.kind}:${f.action.name}`,
    fact: f.fact,
    stage: f.stage,
    tests: f.tests,
    runs: f.runs,
    gaps: f.gaps,
    hint: f.hint,
    message: clip(f.message),
    examples: f.examples.map((id) => links.get(id) ?? { id }),
    more: f.tests - f.examples.length,
    ...(change ? { change } : {}),
  };
}

/** Rows for every finding, in the results' order (new, fixed, unchanged; worst first). */
export function findingRows(results: Results, links: ReadonlyMap<string, TestLink>): FindingRow[] {
  return results.findings.map((f, i) => row(f, i, links));
}

const TITLES: Record<FindingBlock["status"], string> = {
  new: "New findings",
  fixed: "Fixed findings",
  unchanged: "Unchanged findings",
  current: "Findings",
};

/** One cause's findings mostly share a fix: each fix is written out once per block, then referred to. */
function sameFixes(rows: readonly FindingRow[]): FindingRow[] {
  const first = new Map<string, FindingRow>();
  return rows.map((r) => {
    const earlier = first.get(r.hint);
    if (!earlier) {
      first.set(r.hint, r);
      return r;
    }
    return { ...r, sameFixAs: { label: earlier.label, anchor: earlier.anchor } };
  });
}

/** With a baseline: new, fixed, unchanged (each only if it has rows); without: one block. */
export function findingBlocks(rows: readonly FindingRow[], hasBaseline: boolean): FindingBlock[] {
  if (!hasBaseline) {
    return rows.length > 0
      ? [{ status: "current", title: TITLES.current, open: true, rows: sameFixes(rows) }]
      : [];
  }
  const changed = rows.some((r) => r.status !== "unchanged");
  return (["new", "fixed", "unchanged"] as const).flatMap((status) => {
    const mine = sameFixes(rows.filter((r) => r.status === status));
    if (mine.length === 0) return [];
    // Unchanged findings that reach more gaps than before stay in view.
    const open = status !== "unchanged" || !changed || mine.some((r) => r.change?.startsWith("+"));
    return [{ status, title: TITLES[status], open, rows: mine }];
  });
}

/** Per cause (in the causes' order): its gaps and findings now, and each distinct fix with the findings it mends. */
export function causeCards(rows: readonly FindingRow[]): CauseCard[] {
  const current = rows.filter((r) => r.status !== "fixed");
  return CAUSES.flatMap((cause) => {
    const mine = current.filter((r) => r.cause === cause);
    if (mine.length === 0) return [];
    const fixes = new Map<string, { label: string; anchor: string }[]>();
    for (const r of mine)
      fixes.set(r.hint, [...(fixes.get(r.hint) ?? []), { label: r.label, anchor: r.anchor }]);
    return [
      {
        cause,
        gaps: mine.reduce((n, r) => n + r.gaps, 0),
        findings: mine.length,
        fixes: [...fixes].map(([text, findings]) => ({ text, findings })),
      },
    ];
  });
}
