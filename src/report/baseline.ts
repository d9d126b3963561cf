import type { Gap } from "../model/gap.js";
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
  for (const test of tests) {
    for (const verdict of test.result?.verdicts ?? []) {
      for (const gap of verdict.gaps) {
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
          fact: gap.fact,
          action: { kind: gap.action.kind, name: gap.action.name },
          severity: gap.severity,
          message: gap.message,
          hint: gap.hint,
          count: 1,
        });
      }
    }
  }
  return [...out.values()];
}

/** Marks each gap new (not in the baseline), unchanged (in both) or fixed (only in the baseline). */
export function compareWithBaseline(
  current: Pick<Results, "tests">,
  baseline: Pick<Results, "tests">,
  file: string,
): BaselineComparison {
  const now = gapRefs(current.tests);
  const before = gapRefs(baseline.tests);
  const beforeIds = new Set(before.map((g) => g.identity));
  const nowIds = new Set(now.map((g) => g.identity));
  return {
    file,
    new: now.filter((g) => !beforeIds.has(g.identity)),
    fixed: before.filter((g) => !nowIds.has(g.identity)),
    unchanged: now.filter((g) => beforeIds.has(g.identity)),
  };
}
