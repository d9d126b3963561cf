import type { TestEntry } from "./results.js";

/** Tests that did not run for the same reason: one line in every view, however many they are. */
export interface SkippedGroup {
  /** The suite they belong to: the first part of their names (`incident replays`). */
  readonly suite: string;
  readonly reason: string;
  readonly count: number;
  /** The first few test names, for a look; `count` says how many there are. */
  readonly names: string[];
}

/** How many names a group keeps for a look. */
export const SKIPPED_NAMES = 5;

/** Skipped tests grouped by suite and reason, the largest group first. Pure. */
export function skippedGroups(tests: readonly TestEntry[]): SkippedGroup[] {
  const groups = new Map<string, { suite: string; reason: string; count: number; names: string[] }>();
  for (const t of tests) {
    if (t.state !== "skipped") continue;
    const parts = t.name.split(" > ");
    const suite = parts.length > 1 ? parts[0]! : "";
    const reason = t.skipReason ?? "skipped without a reason";
    const key = `${suite}\u0000${reason}`;
    const g = groups.get(key) ?? { suite, reason, count: 0, names: [] };
    g.count++;
    if (g.names.length < SKIPPED_NAMES) g.names.push(t.name);
    groups.set(key, g);
  }
  const text = (g: SkippedGroup) => `${g.suite}\u0000${g.reason}`;
  return [...groups.values()].sort((a, b) => b.count - a.count || (text(a) < text(b) ? -1 : 1));
}
