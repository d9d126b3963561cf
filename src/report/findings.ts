/**
 * Findings: gaps grouped by what caused them. One finding is one (cause, stage, action kind and name,
 * fact): a thousand incidents that lose `tool:refund_payment.record` to the same tail sampler are one
 * finding hitting a thousand incidents, with one fix. Pure.
 */
import { z } from "zod";
import { ActionKindSchema, FactNameSchema } from "../model/action.js";
import { CauseSchema, type Gap, SEVERITY_RANK, SeveritySchema } from "../model/gap.js";
import type { TestEntry } from "./results.js";

/**
 * How many example tests a finding names: its first incidents in test order, then its first other
 * tests. Either way the first ones, so each example of a merged report is an example in its shard.
 */
export const FINDING_EXAMPLES = 3;

export const FindingStatusSchema = z.enum(["new", "fixed", "unchanged"]);
export type FindingStatus = z.infer<typeof FindingStatusSchema>;

export const FindingSchema = z.object({
  /** `cause | stage | kind:name | fact`: stable across runs, so a baseline matches on it. */
  key: z.string(),
  cause: CauseSchema,
  stage: z.string(),
  action: z.object({ kind: ActionKindSchema, name: z.string() }),
  fact: FactNameSchema,
  /** The highest severity among its gaps. */
  severity: SeveritySchema,
  /** The fix: the hint most of its gaps give. */
  hint: z.string(),
  /** One of its gaps' messages, as an example. */
  message: z.string(),
  gaps: z.number().int().positive(),
  /** Tests (incidents, properties, checks, replays) it hits. */
  tests: z.number().int().positive(),
  /** Runs it hits, counted per test. */
  runs: z.number().int().positive(),
  /** Ids of the first tests it hits (a fixed finding's are the baseline's). */
  examples: z.array(z.string()),
  /** Against a baseline: whether the finding is new, fixed (only the baseline has it) or in both. */
  status: FindingStatusSchema.optional(),
  /** Against a baseline: its gaps the baseline doesn't have (by gap identity). */
  newGaps: z.number().int().nonnegative().optional(),
  /** Against a baseline: the baseline's gaps of this finding that are gone. */
  fixedGaps: z.number().int().nonnegative().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export function findingKey(gap: Pick<Gap, "cause" | "stage" | "action" | "fact">): string {
  return [gap.cause, gap.stage, `${gap.action.kind}:${gap.action.name}`, gap.fact].join(" | ");
}

interface Acc {
  first: Gap;
  severity: Gap["severity"];
  gaps: number;
  hints: Map<string, number>;
  tests: Set<string>;
  incidents: string[];
  others: string[];
  runs: Set<string>;
}

/** Every gap of `tests` with the test it belongs to, in test order. */
export function* gapsOfTests(tests: readonly TestEntry[]): Generator<{ test: TestEntry; gap: Gap }> {
  for (const test of tests) {
    for (const verdict of test.result?.verdicts ?? []) {
      for (const gap of verdict.gaps) yield { test, gap };
    }
  }
}

function mostFrequent(counts: ReadonlyMap<string, number>): string {
  let best = "";
  let n = -1;
  for (const [text, count] of counts) {
    if (count > n) [best, n] = [text, count];
  }
  return best;
}

/** The findings of `tests` (sorted by file then name), worst first. */
export function findingsOf(tests: readonly TestEntry[]): Finding[] {
  const groups = new Map<string, Acc>();
  for (const { test, gap } of gapsOfTests(tests)) {
    const key = findingKey(gap);
    let g = groups.get(key);
    if (!g) {
      g = {
        first: gap,
        severity: gap.severity,
        gaps: 0,
        hints: new Map(),
        tests: new Set(),
        incidents: [],
        others: [],
        runs: new Set(),
      };
      groups.set(key, g);
    }
    g.gaps++;
    if (SEVERITY_RANK[gap.severity] > SEVERITY_RANK[g.severity]) g.severity = gap.severity;
    g.hints.set(gap.hint, (g.hints.get(gap.hint) ?? 0) + 1);
    if (!g.tests.has(test.id)) {
      g.tests.add(test.id);
      const examples = test.kind === "incident" ? g.incidents : g.others;
      if (examples.length < FINDING_EXAMPLES) examples.push(test.id);
    }
    g.runs.add(`${test.id}\u0000${gap.traceId}`);
  }
  return sortFindings(
    [...groups].map(([key, g]) => ({
      key,
      cause: g.first.cause,
      stage: g.first.stage,
      action: { kind: g.first.action.kind, name: g.first.action.name },
      fact: g.first.fact,
      severity: g.severity,
      hint: mostFrequent(g.hints),
      message: g.first.message,
      gaps: g.gaps,
      tests: g.tests.size,
      runs: g.runs.size,
      examples: [...g.incidents, ...g.others].slice(0, FINDING_EXAMPLES),
    })),
  );
}

const STATUS_RANK: Record<FindingStatus, number> = { new: 0, fixed: 1, unchanged: 2 };

/** New, then fixed, then unchanged; within each the worst first: severity, incidents hit, gaps. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.status ? STATUS_RANK[a.status] : 0) - (b.status ? STATUS_RANK[b.status] : 0) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.tests - a.tests ||
      b.gaps - a.gaps ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
