import { formatDuration } from "../model/duration.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import { shellQuote } from "../synth/replay-command.js";
import type { AlertSettings } from "./alerts.js";
import type { Explanation, MissingThing } from "./judge.js";
import { judgeRun } from "./judge.js";
import type { LedgerEvidence } from "./ledger-evidence.js";
import { mergeCopies } from "./merge-copies.js";
import { readRuns, type StoreReadStats } from "./read-stores.js";
import { type RunFacts, runFactsOf } from "./run-facts.js";
import type { AuditReport, AuditRun, Reason } from "./schema.js";
import type { EvidenceSource, SpanStore } from "./store.js";
import { AuditTally } from "./tally.js";
import { type AuditWindow, isoTime } from "./window.js";

/** Asks the pipeline model about one run's missing things (see `attribution.ts`). */
export type Explainer = (
  records: readonly SpanRecord[],
  facts: RunFacts,
) => (thing: MissingThing) => Explanation | undefined;

export interface AuditOptions {
  readonly stores: readonly SpanStore[];
  readonly window: AuditWindow;
  readonly profile: Profile;
  readonly alerts: AlertSettings;
  /** List every run of the window, not only the incomplete and pending ones. */
  readonly allRuns?: boolean;
  /** With a logging config: which stage would have lost each missing thing. */
  readonly explain?: { readonly label: string; readonly explainer: Explainer };
  /** Evidence beyond the stores' spans, asked about every run. */
  readonly evidence?: readonly EvidenceSource[];
  /** The guard's write-ahead ledgers: their calls must be in the trace store, their runs too. */
  readonly ledgers?: readonly LedgerEvidence[];
  /** Keep each listed run's stored records, for views that draw them (the HTML report). */
  readonly keepRecords?: boolean;
  /** Called after each segment read, with the runs held open. */
  readonly onSegment?: (openRuns: number) => void;
}

/** The report plus what only the in-process views need. */
export interface AuditOutcome {
  /** The JSON report, without episodes (the state file adds them). */
  readonly report: AuditReport;
  /** Stored records of the listed runs, by trace id (with `keepRecords`). */
  readonly records: ReadonlyMap<string, readonly SpanRecord[]>;
  /** Facts of the listed runs, by trace id (with `keepRecords`). */
  readonly facts: ReadonlyMap<string, RunFacts>;
}

/** The command that makes a run an incident: the same stores, that trace. */
export function incidentCommand(specs: readonly string[], traceId: string): string {
  const stores = specs.map((s) => `--store ${shellQuote(s)}`).join(" ");
  return `trailcheck incident add ${stores} --trace-id ${traceId}`;
}

/**
 * The production audit (DESIGN §12): reads every store, joins spans into runs, judges each run of the
 * window and the baseline from stored data alone, and counts them per agent with alerts.
 */
export async function audit(options: AuditOptions): Promise<AuditOutcome> {
  const { window, profile } = options;
  const specs = options.stores.map((s) => s.spec);
  const tally = new AuditTally(window, {
    allRuns: options.allRuns ?? false,
    incidentCommand: (traceId) => incidentCommand(specs, traceId),
  });
  const stats: StoreReadStats[] = [];
  const records = new Map<string, readonly SpanRecord[]>();
  const factsOf = new Map<string, RunFacts>();
  const range = { from: window.baselineFrom, to: window.to, graceNs: window.graceNs, now: window.now };

  const seen = new Set<string>();
  const evidence = [...(options.evidence ?? []), ...(options.ledgers ?? [])];
  for await (const run of readRuns(options.stores, { ...range, onSegment: options.onSegment }, stats)) {
    seen.add(run.traceId);
    const merged = mergeCopies(run.records);
    const facts = runFactsOf(run.traceId, merged, profile, run.stores);
    if (tally.placeOf(facts.start) === undefined) continue;
    let edge: bigint | undefined;
    const extra: Reason[] = [];
    for (const i of run.stores) {
      const stat = stats[i]!;
      if (stat.edge !== undefined && (edge === undefined || stat.edge > edge)) edge = stat.edge;
      extra.push(...(stat.listing.evidence?.reasonsFor(facts) ?? []));
    }
    for (const source of evidence) extra.push(...source.reasonsFor(facts));
    const judgement = judgeRun(
      facts,
      {
        now: window.now,
        graceNs: window.graceNs,
        ...(edge !== undefined ? { edge } : {}),
        ...(options.explain ? { explain: options.explain.explainer(merged, facts) } : {}),
      },
      extra,
    );
    const listed: AuditRun | undefined = tally.add(facts, judgement);
    if (listed && options.keepRecords) {
      records.set(run.traceId, merged);
      factsOf.set(run.traceId, facts);
    }
  }

  // Runs only a ledger knows: the store kept no span of them at all.
  for (const ledger of options.ledgers ?? []) {
    for (const run of ledger.runsNotIn(seen, window.now, window.graceNs)) {
      if (tally.placeOf(run.facts.start) === undefined) continue;
      seen.add(run.facts.traceId);
      tally.add(run.facts, run.judgement);
    }
  }

  const { agents, runs } = tally.summarize(options.alerts);
  const report: AuditReport = {
    version: 1,
    window: { from: isoTime(window.from), to: isoTime(window.to) },
    baseline: { from: isoTime(window.baselineFrom), to: isoTime(window.from) },
    now: isoTime(window.now),
    profile: profile.name,
    settings: {
      grace: formatDuration(window.graceNs),
      minRuns: options.alerts.minRuns,
      alpha: options.alerts.alpha,
      logging: options.explain?.label ?? null,
    },
    stores: stats.map((s) => ({
      spec: s.spec,
      read: s.read,
      skipped: s.skipped,
      spans: s.spans,
      edge: s.edge !== undefined ? isoTime(s.edge) : null,
      integrity: s.listing.integrity
        ? { valid: s.listing.integrity.valid, findings: [...s.listing.integrity.findings] }
        : null,
    })),
    agents,
    runs,
    episodes: [],
  };
  return { report, records, facts: factsOf };
}
