import type { Checkpoint } from "./checkpoint.js";
import type { FindingKind } from "./findings.js";

/**
 * What a writer that reopens a log (the sealed log writer, the guard's ledger) accepts from its
 * verification. A restart after downtime or a crash produces these by itself: a late heartbeat, and
 * records written just before the crash that no checkpoint covers yet. Anything else refuses the log.
 */
export const RESUMABLE: ReadonlySet<FindingKind> = new Set<FindingKind>([
  "stale-checkpoint",
  "missing-heartbeat",
  "uncovered-records",
]);

/**
 * Why the records past a final checkpoint are not a crash's tail, or undefined when they may be. A
 * writer publishes its final checkpoint after its last record is on disk (close), so a log closed at
 * `newest.size` records cannot hold more unless someone added them after it closed — without the key.
 * Sealing them on reopen would sign what its writer never wrote, and `verify` would then pass them.
 */
export function recordsAfterClose(newest: Checkpoint | undefined, records: number): string | undefined {
  if (!newest?.final || records <= newest.size) return undefined;
  return (
    `records ${newest.size}–${records - 1} follow final checkpoint #${newest.seq}: its writer closed the ` +
    `log at ${newest.size} records, so they were added after it closed and nothing vouches for them`
  );
}
