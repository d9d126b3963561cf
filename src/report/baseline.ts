import type { Gap } from "../model/gap.js";
import { type Finding, findingKey, findingsOf, gapsOfTests, sortFindings } from "./findings.js";
import type { BaselineComparison, GapRef, Results, TestEntry } from "./results.js";

/**
 * A gap's identity across runs: the test's stable id, the action's kind and name, the fact and the
 * cause. Not its position, span id or trace id, which change from run to run.
 */
export function gapIdentity(testId: string, gap: Pick<Gap, "action" | "fact" | "cause">): string {
  return [testId, `${gap.action.kind}:${gap.action.name}`, gap.fact, gap.cause].join(" | ");
}

/** Every gap of every test, one entry per identity, in test order. */
export function gapRefs(tests: readonly TestEntry[]): GapRef[] {
  const out = new Map<string, GapRef>();
  for (const { test, gap } of gapsOfTests(tests)) {
    const identity = gapIdentity(test.id, gap);
    const seen = out.get(identity);
    if (seen) {
      seen.count++;
      continue;
    }
    out.set(identity, {
      identity,
      test: test.id,
      title: test.result?.title ?? test.name,
      cause: gap.cause,
      stage: gap.stage,
      fact: gap.fact,
      action: { kind: gap.action.kind, name: gap.action.name },
      severity: gap.severity,
      message: gap.message,
      hint: gap.hint,
      count: 1,
    });
  }
  return [...out.values()];
}

/** How many of a test set's gaps fall in each finding, counting only the gaps whose identity `counts`. */
function gapsPerFinding(
  tests: readonly TestEntry[],
  counts: (identity: string) => boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const { test, gap } of gapsOfTests(tests)) {
    if (!counts(gapIdentity(test.id, gap))) continue;
    const key = findingKey(gap);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * Marks each gap new (not in the baseline), unchanged (in both) or fixed (only in the baseline), and
 * each finding likewise: a finding is new when the baseline has no gap of its cause, stage, action and
 * fact, fixed when only the baseline has one. Findings in both count the single gaps that are new or
 * gone, so a finding that spreads to more incidents shows it.
 */
export function compareWithBaseline(
  current: Pick<Results, "tests">,
  baseline: Pick<Results, "tests">,
  file: string,
): { comparison: BaselineComparison; findings: Finding[] } {
  const now = gapRefs(current.tests);
  const before = gapRefs(baseline.tests);
  const beforeIds = new Set(before.map((g) => g.identity));
  const nowIds = new Set(now.map((g) => g.identity));
  const newPer = gapsPerFinding(current.tests, (id) => !beforeIds.has(id));
  const fixedPer = gapsPerFinding(baseline.tests, (id) => !nowIds.has(id));
  const nowFindings = findingsOf(current.tests);
  const nowKeys = new Set(nowFindings.map((f) => f.key));
  const beforeKeys = new Set<string>();
  const fixed: Finding[] = [];
  for (const f of findingsOf(baseline.tests)) {
    beforeKeys.add(f.key);
    if (!nowKeys.has(f.key)) fixed.push({ ...f, status: "fixed", newGaps: 0, fixedGaps: f.gaps });
  }
  const findings = [
    ...nowFindings.map(
      (f): Finding => ({
        ...f,
        status: beforeKeys.has(f.key) ? "unchanged" : "new",
        newGaps: newPer.get(f.key) ?? 0,
        fixedGaps: fixedPer.get(f.key) ?? 0,
      }),
    ),
    ...fixed,
  ];
  return {
    comparison: {
      file,
      new: now.filter((g) => !beforeIds.has(g.identity)).map((g) => g.identity),
      fixed: before.filter((g) => !nowIds.has(g.identity)),
      unchanged: now.filter((g) => beforeIds.has(g.identity)).map((g) => g.identity),
    },
    findings: sortFindings(findings),
  };
}
