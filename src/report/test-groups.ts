import type { TestEntry } from "./results.js";

/**
 * Tests that share an outcome and its reason — skipped because the incident names no agent, failed
 * because the logging config doesn't load — are one line in every view, however many they are.
 */
export interface TestGroup {
  /** The suite they belong to: the first part of their names (`incident replays`), or "". */
  readonly suite: string;
  readonly reason: string;
  /** The first test's whole message, when the reason is its first line. */
  readonly detail?: string;
  readonly count: number;
  /** The first few test names, for a look; `count` says how many there are. */
  readonly names: string[];
}

/** How many names a group keeps for a look. */
export const GROUP_NAMES = 5;

const hasGaps = (t: TestEntry) => (t.result?.verdicts ?? []).some((v) => v.gaps.length > 0);

/** Tests grouped by suite and the reason `reasonOf` gives (none: not grouped), the largest group first. */
function groupTests(
  tests: readonly TestEntry[],
  reasonOf: (t: TestEntry) => { reason: string; detail?: string } | undefined,
): TestGroup[] {
  const groups = new Map<
    string,
    { suite: string; reason: string; detail?: string; count: number; names: string[] }
  >();
  for (const t of tests) {
    const why = reasonOf(t);
    if (!why) continue;
    const parts = t.name.split(" > ");
    const suite = parts.length > 1 ? parts[0]! : "";
    const key = `${suite}\u0000${why.reason}`;
    const g = groups.get(key) ?? { suite, ...why, count: 0, names: [] };
    g.count++;
    if (g.names.length < GROUP_NAMES) g.names.push(t.name);
    groups.set(key, g);
  }
  const text = (g: TestGroup) => `${g.suite}\u0000${g.reason}`;
  return [...groups.values()].sort((a, b) => b.count - a.count || (text(a) < text(b) ? -1 : 1));
}

/** Skipped tests by suite and the reason they gave. Pure. */
export function skippedGroups(tests: readonly TestEntry[]): TestGroup[] {
  return groupTests(tests, (t) =>
    t.state === "skipped" ? { reason: t.skipReason ?? "skipped without a reason" } : undefined,
  );
}

/**
 * Tests that passed or failed on their own merits but carry a note about the agent's run: a process it
 * left running outside its process group, which was neither waited for nor killed. Pure.
 */
export function notedGroups(tests: readonly TestEntry[]): TestGroup[] {
  return groupTests(tests, (t) => {
    const leftover = t.result?.agent?.leftover;
    return leftover ? { reason: leftover } : undefined;
  });
}

/** Failed tests that recorded no gap (a thrown error, a config that doesn't load), by their failure's first line. Pure. */
export function failedWithoutGapsGroups(tests: readonly TestEntry[]): TestGroup[] {
  return groupTests(tests, (t) => {
    if (t.state !== "failed" || hasGaps(t)) return undefined;
    const failure = t.failures[0] ?? "failed";
    const reason = failure.split("\n", 1)[0]!;
    return reason === failure ? { reason } : { reason, detail: failure };
  });
}
