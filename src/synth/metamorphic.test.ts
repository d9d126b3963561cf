import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scrubber, scrubRecords } from "../incidents/scrub.js";
import { recordsFromTrailcheckJsonl, serializeRecordsJsonl } from "../ingest/trailcheck-jsonl.js";
import type { Gap } from "../model/gap.js";
import { type LoggingConfig, LoggingConfigSchema } from "../model/logging-config.js";
import type { Profile } from "../model/profile.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { checkRecords } from "../reconstruct/check.js";
import { agentRunArb, type SyntheticRun } from "./agent-run.js";

/**
 * Metamorphic tests of trailcheck itself: relations between two checks that must hold whatever the
 * run, so the engine is tested without knowing the right answer for any one run.
 */
const SEED = 9;
const runs = agentRunArb();
const reconstructable = BUILTIN_PROFILES.reconstructable!;
const euAiAct = BUILTIN_PROFILES["eu-ai-act"]!;
const DAY_MS = 86_400_000;

const config = (streams: readonly unknown[]): LoggingConfig => LoggingConfigSchema.parse({ streams });
const gapsOf = (run: SyntheticRun, c: LoggingConfig, profile: Profile, auditAfterNs = 0n): Gap[] =>
  checkRecords(run.records, c, profile, { auditAfterNs }).verdicts.flatMap((v) => v.gaps);

function runLengthMs(run: SyntheticRun): number {
  const times = run.records.flatMap((r) => [BigInt(r.start), BigInt(r.end)]).sort((a, b) => (a < b ? -1 : 1));
  return Number((times.at(-1)! - times[0]!) / 1_000_000n);
}

/** What a gap is about, whatever its cause: the action and the fact. */
const identity = (g: Gap) => `${g.action.spanId ?? `${g.action.kind}:${g.action.name}`}|${g.fact}`;

const samplerArb = fc.oneof(
  fc.record({
    probabilistic_sampler: fc.record({
      sampling_percentage: fc.integer({ min: 0, max: 100 }),
      mode: fc.constantFrom("hash_seed", "proportional"),
      hash_seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    }),
  }),
  fc.record({
    tail_sampling: fc.record({
      decision_wait: fc.constantFrom("1s", "10s", "30s", "1h"),
      policies: fc.integer({ min: 0, max: 100 }).chain((pct) =>
        fc.subarray(
          [
            { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
            { name: "rest", type: "probabilistic", probabilistic: { sampling_percentage: pct } },
          ],
          { minLength: 1 },
        ),
      ),
    }),
  }),
);

/** Processors that decide on names, kinds and trace ids only: they never read a value. */
const contentBlindArb = fc.oneof(
  samplerArb,
  fc.constant({ filter: { traces: { span: ['IsMatch(name, "^(ai\\\\.toolCall|execute_tool .*)$")'] } } }),
  fc.constant({ filter: { traces: { span: ['name == "handoff"'] } } }),
  fc.constant({ batch: {} }),
  fc.constant({ memory_limiter: { check_interval: "1s", limit_mib: 512 } }),
);

const processorArb = fc.oneof(
  contentBlindArb,
  fc.constant({ redaction: { allow_all_keys: true, blocked_values: ["\\b\\d{16}\\b"] } }),
  fc.constant({
    redaction: {
      allow_all_keys: false,
      allowed_keys: ["trailcheck.kind", "gen_ai.operation.name", "ai.operationId", "span_data.type"],
    },
  }),
  fc.constant({ attributes: { actions: [{ key: "gen_ai.tool.call.arguments", action: "delete" }] } }),
  fc.constant({ attributes: { actions: [{ key: "ai.toolCall.args", action: "hash" }] } }),
  fc.integer({ min: 16, max: 400 }).map((n) => ({
    transform: { trace_statements: [`truncate_all(attributes, ${n})`] },
  })),
);

describe("metamorphic properties of trailcheck", () => {
  it("a pass-through config never yields a gap (however its streams are split)", () => {
    const splitArb = fc.constantFrom(
      [{ name: "all", match: { default: true } }],
      [
        { name: "llm", match: { kind: ["llm"] }, processors: [{ batch: {} }] },
        { name: "rest", match: { default: true }, retention: "400d", integrity: "merkle-checkpoints" },
      ],
      [
        { name: "everything", processors: [{ memory_limiter: { check_interval: "1s", limit_mib: 64 } }] },
        { name: "policy", match: { kind: ["policy"] } },
      ],
    );
    fc.assert(
      fc.property(runs, splitArb, (run, streams) => {
        expect(gapsOf(run, config(streams), euAiAct)).toEqual([]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("appending a processor never removes a gap", () => {
    fc.assert(
      fc.property(runs, fc.array(processorArb, { maxLength: 3 }), processorArb, (run, base, extra) => {
        const before = gapsOf(run, config([{ name: "all", processors: base }]), reconstructable);
        const after = gapsOf(run, config([{ name: "all", processors: [...base, extra] }]), reconstructable);
        const kept = new Set(after.map(identity));
        // A fact gap is still there when the whole record is now lost.
        const lostRecords = new Set(
          after.filter((g) => g.fact === "record" || g.fact === "traceId").map((g) => g.action.spanId),
        );
        for (const g of before) {
          expect(kept.has(identity(g)) || lostRecords.has(g.action.spanId), g.message).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it("100% sampling never yields a sampling gap", () => {
    const full = fc.oneof(
      fc.record({
        probabilistic_sampler: fc.record({
          sampling_percentage: fc.constantFrom(100, 150),
          mode: fc.constantFrom("hash_seed", "proportional"),
          hash_seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        }),
      }),
      fc.constantFrom("1s", "30s").map((wait) => ({
        tail_sampling: {
          decision_wait: wait,
          policies: [{ name: "all", type: "probabilistic", probabilistic: { sampling_percentage: 100 } }],
        },
      })),
      fc.constant({ tail_sampling: { policies: [{ name: "all", type: "always_sample" }] } }),
    );
    fc.assert(
      fc.property(runs, full, (run, sampler) => {
        const gaps = gapsOf(run, config([{ name: "all", processors: [sampler] }]), reconstructable);
        expect(gaps.filter((g) => g.cause === "sampling")).toEqual([]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("sampling decisions are all-or-nothing per trace", () => {
    fc.assert(
      fc.property(runs, samplerArb, (run, sampler) => {
        const c = config([{ name: "all", processors: [sampler] }]);
        const { view } = checkRecords(run.records, c, reconstructable, { auditAfterNs: 0n });
        expect([0, run.records.length]).toContain(view.stored.length);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("retention of at least the audit time (plus the run's own length) never yields a retention gap", () => {
    // The audit happens auditAfter past the run's last span; a span that ended earlier is that much older.
    fc.assert(
      fc.property(
        runs,
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 0, max: DAY_MS }),
        (run, auditDays, spare) => {
          const lengthMs = runLengthMs(run);
          const retention = `${auditDays * DAY_MS + lengthMs + spare}ms`;
          const c = config([{ name: "all", retention }]);
          const auditAfterNs = BigInt(auditDays) * BigInt(DAY_MS) * 1_000_000n;
          for (const profile of [reconstructable, euAiAct, BUILTIN_PROFILES["pci-dss-4"]!]) {
            const gaps = gapsOf(run, c, profile, auditAfterNs);
            expect(gaps.filter((g) => g.cause === "retention")).toEqual([]);
          }
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("scrubbing a run never changes its verdict under a config that does not read values", () => {
    const key = (g: Gap) =>
      [g.cause, g.stage, g.fact, g.action.kind, g.action.spanId ?? g.action.name].join("|");
    fc.assert(
      fc.property(runs, fc.array(contentBlindArb, { maxLength: 3 }), (run, processors) => {
        const keep = run.records.flatMap((r) => [
          r.traceId,
          r.spanId,
          ...(r.parentSpanId ? [r.parentSpanId] : []),
        ]);
        const scrubbed = { ...run, records: scrubRecords(run.records, new Scrubber({ keep })) };
        const c = config([{ name: "all", processors }]);
        expect(gapsOf(scrubbed, c, reconstructable).map(key)).toEqual(
          gapsOf(run, c, reconstructable).map(key),
        );
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("parsing what trailcheck writes gives back the same records (trailcheck JSONL)", () => {
    fc.assert(
      fc.property(runs, (run) => {
        const text = serializeRecordsJsonl(run.records);
        const parsed = recordsFromTrailcheckJsonl(text);
        expect(parsed).toEqual(run.records);
        expect(serializeRecordsJsonl(parsed)).toBe(text);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });
});
