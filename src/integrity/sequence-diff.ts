/** One difference between the leaf hashes a segment should hold and the records it holds. */
export interface SequenceChange {
  readonly kind: "modified" | "deleted" | "inserted" | "reordered";
  /** Position in the expected sequence where the change sits. */
  readonly expectedAt: number;
  /** Position in the actual sequence (the record line, 0-based). */
  readonly actualAt: number;
  /** How many consecutive records the change spans. */
  readonly count: number;
}

import type { Digest } from "./hash.js";

type Positions = Map<Digest, number[]>;

function positions(hashes: readonly Digest[]): Positions {
  const map: Positions = new Map();
  hashes.forEach((h, i) => {
    const list = map.get(h);
    if (list) list.push(i);
    else map.set(h, [i]);
  });
  return map;
}

/** The first position of `hash` at or after `from`, or -1. */
function nextAt(map: Positions, hash: Digest, from: number): number {
  const list = map.get(hash);
  if (!list) return -1;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? list[lo]! : -1;
}

/**
 * Explains how `actual` differs from `expected` as deletions, insertions, moves and in-place
 * modifications. Greedy, not minimal: it only has to name what happened in the common cases, since
 * the verdict itself comes from the signed roots.
 */
export function diffSequences(expected: readonly Digest[], actual: readonly Digest[]): SequenceChange[] {
  let i = 0;
  let j = 0;
  // Fast path: an intact log is one long match, and needs no lookup tables.
  while (i < actual.length && j < expected.length && actual[i] === expected[j]) {
    i++;
    j++;
  }
  if (i === actual.length && j === expected.length) return [];
  const inExpected = positions(expected);
  const inActual = positions(actual);
  const changes: SequenceChange[] = [];
  const push = (kind: SequenceChange["kind"], expectedAt: number, actualAt: number, count: number) => {
    const last = changes[changes.length - 1];
    const adjacent =
      last && last.kind === kind && last.expectedAt + (kind === "inserted" ? 0 : last.count) === expectedAt;
    if (adjacent) changes[changes.length - 1] = { ...last, count: last.count + count };
    else changes.push({ kind, expectedAt, actualAt, count });
  };
  while (i < actual.length && j < expected.length) {
    if (actual[i] === expected[j]) {
      i++;
      j++;
      continue;
    }
    const actualKnown = inExpected.has(actual[i]!);
    const expectedKept = inActual.has(expected[j]!);
    if (actualKnown && expectedKept) {
      push("reordered", j, i, 1);
      i++;
      j++;
      continue;
    }
    const actualLater = actualKnown ? nextAt(inExpected, actual[i]!, j + 1) : -1;
    const expectedLater = expectedKept ? nextAt(inActual, expected[j]!, i + 1) : -1;
    if (actualLater >= 0) {
      push("deleted", j, i, actualLater - j);
      j = actualLater;
    } else if (expectedLater >= 0) {
      push("inserted", j, i, expectedLater - i);
      i = expectedLater;
    } else {
      push("modified", j, i, 1);
      i++;
      j++;
    }
  }
  if (j < expected.length) push("deleted", j, i, expected.length - j);
  if (i < actual.length) push("inserted", j, i, actual.length - i);
  return changes;
}
