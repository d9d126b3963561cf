import { InputError } from "../errors.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import type { Run } from "../model/run.js";
import { judgeRun } from "./judge.js";
import { mergeCopies } from "./merge-copies.js";
import { runFactsOf } from "./run-facts.js";
import type { Reason, Verdict } from "./schema.js";
import { type AuditStore, groupsRuns, type StoreListing } from "./store.js";

/** One run as the stores hold it, with the audit's verdict on it. */
export interface StoredRun {
  readonly run: Run;
  readonly verdict: Verdict;
  readonly reasons: readonly Reason[];
  /** The facts the reasons are about (`kind:name.fact`), in order, once each. */
  readonly facts: readonly string[];
}

const FOREVER = 2n ** 80n;

/**
 * Reads one run from the stores (every segment: the run may be older than any window) and judges it
 * as `trailcheck audit` does, at `now` with `graceNs`. Only that trace's spans are kept.
 */
export async function readStoredRun(
  stores: readonly AuditStore[],
  traceId: string,
  profile: Profile,
  clock: { now: bigint; graceNs: bigint },
): Promise<StoredRun> {
  const id = traceId.replace(/^trace_/, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) {
    throw new InputError("bad-trace-id", `'${traceId}' is not a trace id; expected 32 hex digits`, {
      field: "traceId",
    });
  }
  const records: SpanRecord[] = [];
  const held = new Set<number>();
  const listings: (StoreListing | undefined)[] = [];
  for (const [i, store] of stores.entries()) {
    if (groupsRuns(store)) {
      // A database finds the run by its trace id (the exporter's lookup table says when it ran).
      const found = await store.readRun(id, clock.now);
      records.push(...found);
      if (found.length > 0) held.add(i);
      listings.push(undefined);
      continue;
    }
    const listing = await store.list({ from: 0n, now: FOREVER });
    listings.push(listing);
    for (const segment of listing.segments) {
      for await (const batch of segment.read()) {
        for (const r of batch) {
          if (r.traceId !== id) continue;
          records.push(r);
          held.add(i);
        }
      }
    }
  }
  if (records.length === 0) {
    throw new InputError("no-trace", `no span of trace ${id} in ${stores.map((s) => s.spec).join(", ")}`);
  }
  const merged = mergeCopies(records);
  const facts = runFactsOf(id, merged, profile, [...held]);
  const extra: Reason[] = [];
  for (const i of held) extra.push(...(listings[i]?.evidence?.reasonsFor(facts) ?? []));
  const { verdict, reasons } = judgeRun(facts, clock, extra);
  const refs = [...new Set(reasons.flatMap((r) => (r.fact ? [r.fact] : [])))];
  return { run: { traceId: id, records: merged }, verdict, reasons, facts: refs };
}
