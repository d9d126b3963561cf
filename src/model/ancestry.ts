/** What sits above the spans of a run, as `ancestry` answers it. */
export interface Ancestry {
  /** The weight of the span and of every distinct span above it on its chain of parents. */
  readonly reach: (span: string) => number;
  /** The same without the span itself: what a timeline indents it by. */
  readonly above: (span: string) => number;
}

/**
 * How much sits above each span of a run, for timelines that indent: the weights of the distinct
 * spans reachable through parent links. The caller chooses what counts (every span of the run, or
 * only the spans that are actions). Each span is walked once and remembered, without recursion, so a
 * chain 200,000 deep costs linear time. Hostile data may close a cycle: a span on one has every other
 * span of the cycle above it, whichever span a walk starts from. Pure.
 */
export function ancestry(
  parentOf: ReadonlyMap<string, string | undefined>,
  weight: (span: string) => number,
): Ancestry {
  const total = new Map<string, number>();

  const reach = (span: string): number => {
    const chain: string[] = [];
    const at = new Map<string, number>();
    let top: string | undefined = span;
    while (top !== undefined && !total.has(top) && !at.has(top)) {
      at.set(top, chain.length);
      chain.push(top);
      top = parentOf.get(top);
    }
    let below = top !== undefined && total.has(top) ? total.get(top)! : 0;
    let end = chain.length;
    const cycleAt = top === undefined ? undefined : at.get(top);
    if (cycleAt !== undefined) {
      // Every span of the cycle reaches all of it: one total for each of them.
      for (let i = cycleAt; i < chain.length; i++) below += weight(chain[i]!);
      for (let i = cycleAt; i < chain.length; i++) total.set(chain[i]!, below);
      end = cycleAt;
    }
    for (let i = end - 1; i >= 0; i--) {
      below += weight(chain[i]!);
      total.set(chain[i]!, below);
    }
    return total.get(span)!;
  };

  return { reach, above: (span) => reach(span) - weight(span) };
}

const ON_WALK = 0;
const LOOPS = 1;
const ENDS = 2;

/**
 * The spans whose chain of parents never ends: each span on a parent cycle (a span its own parent,
 * A → B → A, …) and each span below one. Such a span names a parent the run holds, yet no walk from it
 * reaches the run's root. `spans` maps each span id to its record (or anything with its parent's id).
 * Each span is walked once (linear, no recursion); undefined when there is none, the usual case. Pure.
 */
export function parentLoops(
  spans: ReadonlyMap<string, { readonly parentSpanId?: string | undefined }>,
): Set<string> | undefined {
  // For each span walked: ON_WALK while the current walk is on it, then whether its chain loops.
  const state = new Map<string, number>();
  const chain: string[] = [];
  let found: Set<string> | undefined;
  for (const start of spans.keys()) {
    if (state.has(start)) continue;
    chain.length = 0;
    let top: string | undefined = start;
    while (top !== undefined && spans.has(top) && !state.has(top)) {
      state.set(top, ON_WALK);
      chain.push(top);
      top = spans.get(top)!.parentSpanId;
    }
    // Met again on this walk: a cycle; met on an earlier walk: whatever that walk found.
    const end = top === undefined ? undefined : state.get(top);
    const looped = end === ON_WALK || end === LOOPS;
    for (const span of chain) state.set(span, looped ? LOOPS : ENDS);
    if (looped) {
      found ??= new Set();
      for (const span of chain) found.add(span);
    }
  }
  return found;
}
