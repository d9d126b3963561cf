import type { Action } from "../model/action.js";
import { durationNanos } from "../model/duration.js";
import type { Profile } from "../model/profile.js";
import type { StoredRecord, StoredView, StreamSummary } from "../pipeline/index.js";
import { describe, type GapCollector } from "./gap-collector.js";

/**
 * One gap per stream that holds this run's records and can't be trusted: its sealed log fails
 * verification, or it has no tamper evidence where the profile requires it.
 */
export function integrityGaps(
  truth: readonly Action[],
  view: { readonly stored: StoredView["stored"]; readonly streams: readonly StreamSummary[] },
  profile: Profile,
  out: GapCollector,
) {
  for (const stream of view.streams) {
    const failed = stream.sealed !== undefined && !stream.sealed.valid;
    const unprotected = profile.integrity === "tamper-evident" && stream.integrity !== "merkle-checkpoints";
    if (!failed && !unprotected) continue;
    const first = view.stored.find((s) => s.stream === stream.name);
    if (!first) continue;
    const action = truth.find((a) => a.spanId === first.record.spanId) ?? truth[0];
    if (!action) continue;
    const why = failed
      ? `its sealed log fails verification: ${stream.sealed!.findings.join("; ")}`
      : `it has integrity '${stream.integrity}' but '${profile.name}' requires tamper evidence: ${
          stream.integrity === "hash-chain"
            ? "a hash chain stored with the data detects nothing against whoever can write the store, and never detects a cut tail"
            : "records can be changed or deleted without detection"
        }`;
    out.add(action, "integrity", "integrity", `${stream.name}/store`, `stream '${stream.name}' ${why}`, {
      stream: stream.name,
    });
  }
}

/**
 * Records archived at audit time while the profile says they must still be immediately available.
 * `copiesOf` gives the stored copies of each span by span id.
 */
export function archiveGaps(
  truth: readonly Action[],
  copiesOf: () => ReadonlyMap<string, readonly StoredRecord[]>,
  profile: Profile,
  auditAfterNs: bigint,
  out: GapCollector,
) {
  const hotWindow = profile.retention.immediate ? durationNanos(profile.retention.immediate) : undefined;
  if (hotWindow === undefined || auditAfterNs > hotWindow) return;
  // Grouped only here: most profiles have no window that must stay immediately available.
  const copiesBySpan = copiesOf();
  for (const action of truth) {
    const copies = action.spanId ? (copiesBySpan.get(action.spanId) ?? []) : [];
    if (copies.length === 0 || !copies.every((c) => c.archived)) continue;
    out.add(
      action,
      "record",
      "retention",
      `${copies[0]!.stream}/store`,
      `${describe(action)} is archived at audit time, not immediately available as '${profile.name}' requires`,
      { stream: copies[0]!.stream },
    );
  }
}
