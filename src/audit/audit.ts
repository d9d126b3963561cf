import { InputError } from "../errors.js";
import { formatDuration } from "../model/duration.js";
import type { Profile } from "../model/profile.js";
import type { SpanRecord } from "../model/record.js";
import { shellQuote } from "../text/shell-quote.js";
import type { AlertSettings } from "./alerts.js";
import type { Explanation, Judgement, MissingThing } from "./judge.js";
import { judgeRun } from "./judge.js";
import type { LedgerEvidence } from "./ledger-evidence.js";
import { mergeCopies } from "./merge-copies.js";
import { readRuns, type StoreReadStats } from "./read-stores.js";
import type { AssembledRun } from "./run-assembler.js";
import { type RunFacts, runFactsOf } from "./run-facts.js";
import type { AuditReport, AuditRun, Reason, StoreSummary } from "./schema.js";
import { type AuditStore, type EvidenceSource, groupsRuns, type SpanStore } from "./store.js";
import { AuditTally } from "./tally.js";
import { type AuditWindow, isoTime } from "./window.js";

/** Asks the pipeline model about one run's missing things (see `attribution.ts`). */
export type Explainer = (
  records: readonly SpanRecord[],
  facts: RunFacts,
) => (thing: MissingThing) => Explanation | undefined;

export interface AuditOptions {
  readonly stores: readonly AuditStore[];
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
  /** Called with every run judged here (a store that settles runs itself counts the rest). */
  readonly onJudged?: (facts: RunFacts, judgement: Judgement) => void;
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
 * The production audit: reads every store, joins spans into runs, judges each run of the
 * window and the baseline from stored data alone, and counts them per agent with alerts. A store that
 * groups runs itself (ClickHouse) settles the runs its query proves reconstructable and sends the rest
 * here, to the same judging code.
 */
export async function audit(options: AuditOptions): Promise<AuditOutcome> {
  const { window, profile } = options;
  const specs = options.stores.map((s) => s.spec);
  const tally = new AuditTally(window, {
    allRuns: options.allRuns ?? false,
    incidentCommand: (traceId) => incidentCommand(specs, traceId),
  });
  const records = new Map<string, readonly SpanRecord[]>();
  const factsOf = new Map<string, RunFacts>();
  const seen = new Set<string>();
  const evidence = [...(options.evidence ?? []), ...(options.ledgers ?? [])];
  // Runs counted per store: a store that shows none was not audited, whatever the agents' rates say.
  const storeRuns = options.stores.map(() => 0);

  /** Judges one run with the evidence about it and counts it: every store's runs go through here. */
  const judge = (run: AssembledRun, edge: bigint | undefined, sources: readonly EvidenceSource[]) => {
    seen.add(run.traceId);
    const merged = mergeCopies(run.records);
    const facts = runFactsOf(run.traceId, merged, profile, run.stores);
    if (tally.placeOf(facts.start) === undefined) return;
    for (const i of run.stores) if (i < storeRuns.length) storeRuns[i]!++;
    const extra: Reason[] = [];
    for (const source of [...sources, ...evidence]) extra.push(...source.reasonsFor(facts));
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
    options.onJudged?.(facts, judgement);
    if (listed && options.keepRecords) {
      records.set(run.traceId, merged);
      factsOf.set(run.traceId, facts);
    }
  };

  const stores: StoreSummary[] = [];
  const grouping = options.stores.find(groupsRuns);
  if (grouping) {
    if (options.stores.length > 1) {
      throw new InputError(
        "bad-store",
        `${grouping.spec} groups runs in the database and can't be joined with other stores: audit it on its own`,
      );
    }
    // Evidence about runs must see them: the runs it names travel to node whatever the store finds.
    const named = evidence.every((e) => e.traceIds !== undefined);
    const result = await grouping.audit({
      window,
      profile,
      bucketNs: tally.bucketNs,
      everyRun: (options.allRuns ?? false) || !named,
      traceIds: new Set(evidence.flatMap((e) => [...(e.traceIds?.() ?? [])])),
    });
    for (const group of result.settled) {
      if (group.runs > 0 && tally.placeOf(group.lastStart) !== undefined) storeRuns[0]! += group.runs;
      tally.addSettled(group);
    }
    for await (const run of result.runs) judge(run, undefined, result.evidence ? [result.evidence] : []);
    stores.push({ spec: grouping.spec, ...result.summary(), runs: storeRuns[0]! });
  } else {
    const stats: StoreReadStats[] = [];
    const range = { from: window.baselineFrom, to: window.to, graceNs: window.graceNs, now: window.now };
    const fileStores = options.stores.filter((s): s is SpanStore => !groupsRuns(s));
    for await (const run of readRuns(fileStores, { ...range, onSegment: options.onSegment }, stats)) {
      let edge: bigint | undefined;
      const sources: EvidenceSource[] = [];
      for (const i of run.stores) {
        const stat = stats[i]!;
        if (stat.edge !== undefined && (edge === undefined || stat.edge > edge)) edge = stat.edge;
        if (stat.listing.evidence) sources.push(stat.listing.evidence);
      }
      judge(run, edge, sources);
    }
    for (const [i, s] of stats.entries()) {
      stores.push({
        spec: s.spec,
        read: s.read,
        skipped: s.skipped,
        spans: s.spans,
        runs: storeRuns[i]!,
        edge: s.edge !== undefined ? isoTime(s.edge) : null,
        integrity: s.listing.integrity
          ? { valid: s.listing.integrity.valid, findings: [...s.listing.integrity.findings] }
          : null,
        retention: null,
      });
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
    stores,
    ledgers: (options.ledgers ?? []).map((l) => ({
      name: l.name,
      valid: l.damage === undefined,
      message: l.damage ?? null,
    })),
    agents,
    runs,
    episodes: [],
  };
  return { report, records, facts: factsOf };
}
