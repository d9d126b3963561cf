import { rm } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { loadLoggingConfig } from "../../config/logging.js";
import type { LoggingConfig } from "../../model/logging-config.js";
import type { Profile } from "../../model/profile.js";
import type { SpanRecord } from "../../model/record.js";
import { simulate } from "../../pipeline/index.js";
import { resolveProfile } from "../../profiles/resolve.js";
import { agentRunArb, type SyntheticRun } from "../../synth/index.js";
import { lossyConfigArb } from "../../synth/lossy-config-arb.js";
import type { AuditOptions, AuditOutcome } from "../audit.js";
import { mergeCopies } from "../merge-copies.js";
import type { AgentSummary, AuditRun } from "../schema.js";
import { StoreWriter } from "../store-writer.js";
import { fileExportStore } from "../stores/file-export.js";
import { s3LayoutStore } from "../stores/s3-layout.js";
import { type HiddenLoss, type LossEvidence, lossEvidence } from "../visible-loss.js";

/**
 * The audit's property (issue: "flag every run whose loss is visible in stored data and flag no run
 * kept whole"). Generated runs in every convention pass through a logging config — an example config
 * or a generated one — in the pipeline model; what the stores keep is written as the collector's file
 * exporter (rotated, gzipped) or the S3 exporter's layout would write it, and audited from those files.
 * The pipeline model's loss events are the ground truth; `lossEvidence` sorts them into:
 *
 * - visible — the stored records show it by themselves, so the run must be `incomplete`: a stored span
 *   whose parent is not stored (or no stored root); more tool requests on intact stored model spans than
 *   stored tool spans and blocking decisions that could answer them; an AI SDK agent span showing a
 *   response with no model span stored beneath it; a required fact whose every key is gone from a stored
 *   record, or whose value is masked (`****`), or a whole digest of content, where the profile does not
 *   accept a mask or digest for it;
 * - none — no loss event at all: the run must be `reconstructable`;
 * - hidden — what stored data alone cannot show, so no verdict is demanded: a run dropped whole leaves
 *   nothing to audit (sampling, filters, routing); a lost record that nothing stored names as parent,
 *   answers no stored request and is evidenced by no stored span (a leaf, or a whole subtree with the
 *   request that led to it); a deleted attribute no required fact reads, or whose fact another key still
 *   holds; a mask or digest the profile accepts; a value cut to a length or rewritten (it still reads as
 *   a value); a digest of an id or a name (it reads as one); a deleted attribute a convention is
 *   recognised by (`span_data.type`, `ai.operationId`, …): the span reads as one of no known kind, with
 *   no facts to require. Beyond these configs: a fact the agent never emitted reads exactly like one a
 *   processor deleted (the cause is `unknown` unless a redaction summary names the key), and records
 *   stored without trace ids (examples/logging/correlation.yaml) can't be joined into runs at all.
 *
 * `checkAuditProperty` also counts the classes it met, so a test can check the property is exercised
 * both ways; it takes the audit as a parameter so a test can show the property fails when judging is
 * broken (audit.property-power.test.ts).
 */

const HOUR = 3_600_000_000_000n;
const EPOCH = 1_767_225_600_000_000_000n;

/** What the audit is asked to do with one generated case: the same call the CLI makes. */
export type AuditFn = (options: AuditOptions) => Promise<AuditOutcome>;

/** Runs moved an hour apart, so a store holds several at once, in the order their spans end. */
function placeRuns(runs: readonly SyntheticRun[]): SpanRecord[] {
  return runs.flatMap((run, i) => {
    const delta = BigInt(i) * HOUR;
    const at = (t: string) => (BigInt(t) + delta).toString();
    return run.records.map((r) => ({
      ...r,
      start: at(r.start),
      end: at(r.end),
      events: r.events.map((e) => ({ ...e, time: at(e.time) })),
    }));
  });
}

interface Case {
  readonly runs: SyntheticRun[];
  readonly config: { readonly label: string; readonly config: LoggingConfig };
  readonly layout: "file" | "s3";
  readonly gzip: boolean;
  readonly batchSize: number;
}

interface Checked {
  readonly traceId: string;
  readonly evidence: LossEvidence;
  /** Loss events of the run, and spans the store holds of it. */
  readonly losses: number;
  readonly stored: number;
  readonly listed?: AuditRun;
}

/** What the property is checked with: configs, the profiles they name, a scratch folder. */
export interface PropertySetup {
  /** Logging configs to draw from besides generated ones (the example configs). */
  readonly configs: readonly { readonly label: string; readonly config: LoggingConfig }[];
  /** Every profile a config names (generated configs name `reconstructable` and `eu-ai-act`). */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** Stores are written under it, one at a time. */
  readonly dir: string;
}

const caseArb = (setup: PropertySetup): fc.Arbitrary<Case> =>
  fc.record({
    runs: fc.uniqueArray(agentRunArb({ largeRate: 0, maxDepth: 1 }), {
      minLength: 1,
      maxLength: 3,
      selector: (r) => r.traceId,
    }),
    config: fc.oneof(
      fc.constantFrom(...setup.configs),
      lossyConfigArb.map((config) => ({ label: "generated", config })),
    ),
    layout: fc.constantFrom("file", "s3"),
    gzip: fc.boolean(),
    batchSize: fc.integer({ min: 1, max: 40 }),
  });

const EXAMPLES = [
  "passing",
  "filter",
  "redaction",
  "sampling",
  "routing",
  "truncation",
  "export",
  "instrumentation",
  "integrity",
  "retention",
];

/** The example logging configs (in `examples`) and the profiles they and generated configs name. */
export async function propertySetup(dir: string, examples: string): Promise<PropertySetup> {
  const configs = [];
  for (const name of EXAMPLES) {
    configs.push({ label: `${name}.yaml`, config: await loadLoggingConfig(join(examples, `${name}.yaml`)) });
  }
  const profiles = new Map<string, Profile>();
  for (const name of ["reconstructable", "eu-ai-act", "pci-dss-4"])
    profiles.set(name, await resolveProfile(name));
  return { configs, profiles, dir };
}

let cases = 0;

/** Pushes one case through the pipeline model into a store on disk, audits it, and pairs each run's evidence with its verdict. */
async function auditCase(
  c: Case,
  run: AuditFn,
  setup: PropertySetup,
): Promise<{ checked: Checked[]; agents: readonly AgentSummary[] }> {
  const truth = placeRuns(c.runs);
  const view = simulate(truth, c.config.config, { auditAfterNs: HOUR });
  const store = join(setup.dir, `case-${++cases}`);
  const writer = new StoreWriter({
    layout: c.layout,
    dir: store,
    gzip: c.gzip,
    batchSize: c.batchSize,
    maxBytes: 8 * 1024,
    delayNs: 1_000_000_000n,
  });
  const stored = [...view.stored].sort((a, b) =>
    BigInt(a.record.end) < BigInt(b.record.end) ? -1 : BigInt(a.record.end) > BigInt(b.record.end) ? 1 : 0,
  );
  for (const s of stored) {
    const { source: _source, stream: _stream, ...plain } = s.record;
    writer.add(plain, s.stream);
  }
  writer.close();
  if (stored.length === 0) {
    // Nothing of any run is stored: an empty store (the S3 layout refuses one as a wrong path).
    await rm(store, { recursive: true, force: true });
    const checked = c.runs.map((r) => ({
      traceId: r.traceId,
      evidence: { visible: [], hidden: new Set<HiddenLoss>(["run-dropped"]) },
      losses: 1,
      stored: 0,
    }));
    return { checked, agents: [] };
  }

  const profile = setup.profiles.get(
    typeof c.config.config.compliance === "string" ? c.config.config.compliance : "reconstructable",
  )!;
  const to = EPOCH + BigInt(c.runs.length + 1) * HOUR;
  const spec = `${c.layout}:${store}`;
  const outcome = await run({
    stores: [c.layout === "file" ? fileExportStore(store, spec) : s3LayoutStore(store, spec)],
    window: {
      now: to + HOUR,
      from: EPOCH - HOUR,
      to,
      baselineFrom: EPOCH - 2n * HOUR,
      graceNs: 15n * 60_000_000_000n,
    },
    profile,
    alerts: { minRuns: 50, alpha: 0.001 },
    allRuns: true,
  });
  await rm(store, { recursive: true, force: true });

  const listed = new Map(outcome.report.runs.map((r) => [r.traceId, r]));
  const checked = c.runs.map((r) => {
    const own = truth.filter((t) => t.traceId === r.traceId);
    const kept = mergeCopies(view.stored.filter((s) => s.record.traceId === r.traceId).map((s) => s.record));
    const losses = view.losses.filter((l) => l.traceId === r.traceId);
    const entry = listed.get(r.traceId);
    return {
      traceId: r.traceId,
      evidence: lossEvidence(own, kept, losses, profile),
      losses: losses.length,
      stored: kept.length,
      ...(entry ? { listed: entry } : {}),
    };
  });
  return { checked, agents: outcome.report.agents };
}

/**
 * Per agent, the report counts exactly the verdicts of the runs it lists for that agent (every run is
 * listed with `allRuns`); with the per-run rules this makes the runs that show a loss exactly the
 * incomplete ones of their agent, and the runs kept whole exactly its reconstructable ones.
 */
function agentViolations(checked: readonly Checked[], agents: readonly AgentSummary[]): string[] {
  const expected = new Map<string, Record<AuditRun["verdict"], number>>();
  for (const c of checked) {
    if (!c.listed) continue;
    const key = JSON.stringify([c.listed.service, c.listed.agent]);
    const counts = expected.get(key) ?? { reconstructable: 0, incomplete: 0, pending: 0 };
    counts[c.listed.verdict]++;
    expected.set(key, counts);
  }
  const out: string[] = [];
  for (const a of agents) {
    const key = JSON.stringify([a.service, a.agent]);
    const want = expected.get(key) ?? { reconstructable: 0, incomplete: 0, pending: 0 };
    expected.delete(key);
    const zero = { reconstructable: 0, incomplete: 0, pending: 0 };
    if (
      JSON.stringify(a.runs) !== JSON.stringify(want) ||
      JSON.stringify(a.baselineRuns) !== JSON.stringify(zero)
    ) {
      out.push(`agent ${key}: counted ${JSON.stringify(a.runs)}, its runs are ${JSON.stringify(want)}`);
    }
  }
  for (const key of expected.keys()) out.push(`agent ${key}: has runs but is not in the report`);
  return out;
}

/** The property over one case: what must hold of every run's verdict. Returns what was wrong. */
export function violations(checked: readonly Checked[], agents: readonly AgentSummary[] = []): string[] {
  const out: string[] = agentViolations(checked, agents);
  for (const c of checked) {
    const verdict = c.listed?.verdict;
    const reasons = c.listed?.reasons.map((r) => `${r.code}: ${r.message}`).join("\n  ") ?? "";
    if (c.stored === 0) {
      if (c.listed) out.push(`${c.traceId}: nothing of it is stored, yet the audit lists it (${verdict})`);
      continue;
    }
    if (!c.listed) {
      out.push(`${c.traceId}: ${c.stored} stored span(s), but the audit did not judge the run`);
      continue;
    }
    if (verdict === "pending") out.push(`${c.traceId}: pending, though every span ended long before now`);
    if (c.evidence.visible.length > 0 && verdict !== "incomplete") {
      out.push(
        `${c.traceId}: the store shows ${c.evidence.visible.map((v) => `${v.shows} (${v.detail})`).join(", ")}, yet the audit says ${verdict}`,
      );
    }
    if (c.losses === 0 && verdict !== "reconstructable") {
      out.push(`${c.traceId}: kept whole, yet the audit says ${verdict}:\n  ${reasons}`);
    }
  }
  return out;
}

/** Checks the property with `run` as the audit; returns fast-check's result and the classes seen. */
export async function checkAuditProperty(
  run: AuditFn,
  setup: PropertySetup,
  options: {
    readonly numRuns: number;
    readonly seed: number;
    readonly path?: string;
    readonly endOnFailure?: boolean;
  },
) {
  const seen = { whole: 0, visible: 0, hiddenOnly: 0, dropped: 0, hidden: new Set<HiddenLoss>() };
  const result = await fc.check(
    fc.asyncProperty(caseArb(setup), async (c) => {
      const { checked, agents } = await auditCase(c, run, setup);
      const wrong = violations(checked, agents);
      if (wrong.length === 0) {
        for (const x of checked) {
          for (const h of x.evidence.hidden) seen.hidden.add(h);
          if (x.stored === 0) seen.dropped++;
          else if (x.losses === 0) seen.whole++;
          else if (x.evidence.visible.length > 0) seen.visible++;
          else seen.hiddenOnly++;
        }
      }
      if (wrong.length > 0)
        throw new Error(
          `config ${c.config.label}, ${c.layout}${c.gzip ? " gzip" : ""}:\n${wrong.join("\n")}`,
        );
    }),
    options,
  );
  return { result, seen };
}
