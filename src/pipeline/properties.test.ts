import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { config } from "../testing/logging-configs.js";
import { span } from "../testing/records.js";
import { simulate } from "./simulate.js";

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

/** A few runs with a handful of spans each: ids, timing, status and a few attributes. */
const recordsArb: fc.Arbitrary<SpanRecord[]> = fc
  .array(
    fc.record({
      trace: fc.integer({ min: 0, max: 5 }),
      startS: fc.integer({ min: 0, max: 600 }),
      duration: fc.integer({ min: 0, max: 300 }),
      error: fc.boolean(),
      name: fc.constantFrom("agent", "chat", "execute_tool", "guardrail"),
      secret: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    }),
    { maxLength: 30 },
  )
  .chain((rows) =>
    fc.tuple(fc.array(hex(32), { minLength: 6, maxLength: 6 }), fc.constant(rows)).map(([traces, rows]) =>
      rows.map((r) =>
        span({
          traceId: traces[r.trace]!,
          startS: r.startS,
          endS: r.startS + r.duration,
          name: r.name,
          status: { code: r.error ? "error" : "unset" },
          attributes: r.secret === undefined ? {} : { secret: r.secret, "gen_ai.operation.name": r.name },
        }),
      ),
    ),
  );

const samplerArb = fc.oneof(
  fc.record({
    probabilistic_sampler: fc.record({
      sampling_percentage: fc.double({ min: 0, max: 120, noNaN: true }),
      mode: fc.constantFrom("hash_seed", "proportional", "equalizing"),
      hash_seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    }),
  }),
  fc.record({
    tail_sampling: fc.record({
      decision_wait: fc.constant("1000h"),
      policies: fc
        .constant([{ name: "p", type: "probabilistic" }])
        .chain((p) =>
          fc
            .double({ min: 0, max: 100, noNaN: true })
            .map((pct) => [{ ...p[0]!, probabilistic: { sampling_percentage: pct } }]),
        ),
    }),
  }),
);

const processorArb = fc.oneof(
  samplerArb,
  fc.constant({ filter: { traces: { span: ['name == "guardrail"'] } } }),
  fc.constant({ filter: { traces: { span: ['IsMatch(name, "^exec")'] } } }),
  fc.constant({ redaction: { allow_all_keys: true, blocked_values: ["a+"] } }),
  fc.constant({ attributes: { actions: [{ key: "secret", action: "delete" }] } }),
  fc.constant({ transform: { trace_statements: ["truncate_all(attributes, 3)"] } }),
  fc.constant({ batch: {} }),
);

const keys = (view: ReturnType<typeof simulate>) =>
  new Set(view.stored.map((s) => `${s.stream}/${s.record.spanId}`));
const options = { auditAfterNs: 0n };

describe("pipeline properties", () => {
  it("a stream with no processors and generous retention loses nothing", () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const view = simulate(records, config({ streams: [{ name: "all" }] }), options);
        expect(view.losses).toEqual([]);
        expect(view.stored.map((s) => s.record)).toEqual(expect.arrayContaining(records));
        expect(view.stored).toHaveLength(records.length);
        expect(view.stored.every((s) => records.includes(s.record))).toBe(true); // no copies
      }),
    );
  });

  it("sampling decisions are all-or-nothing per trace", () => {
    fc.assert(
      fc.property(recordsArb, samplerArb, (records, sampler) => {
        const view = simulate(records, config({ streams: [{ name: "s", processors: [sampler] }] }), options);
        const kept = new Set(view.stored.map((s) => s.record.traceId));
        const lost = new Set(view.losses.map((l) => l.traceId));
        for (const id of kept) expect(lost.has(id)).toBe(false);
      }),
    );
  });

  it("100% sampling never loses", () => {
    const full = fc.oneof(
      fc.record({
        probabilistic_sampler: fc.record({
          sampling_percentage: fc.constantFrom(100, 150),
          mode: fc.constantFrom("hash_seed", "proportional", "equalizing"),
          hash_seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        }),
      }),
      fc.constant({
        tail_sampling: {
          policies: [{ name: "p", type: "probabilistic", probabilistic: { sampling_percentage: 100 } }],
        },
      }),
      fc.constant({
        tail_sampling: { decision_wait: "1s", policies: [{ name: "all", type: "always_sample" }] },
      }),
    );
    fc.assert(
      fc.property(
        recordsArb.filter((rs) => rs.every((r) => r.traceId !== "0".repeat(32))),
        full,
        (records, sampler) => {
          const view = simulate(
            records,
            config({ streams: [{ name: "s", processors: [sampler] }] }),
            options,
          );
          expect(view.losses).toEqual([]);
          expect(view.stored).toHaveLength(records.length);
        },
      ),
    );
  });

  it("adding a processor never recovers a lost record", () => {
    fc.assert(
      fc.property(
        recordsArb,
        fc.array(processorArb, { maxLength: 3 }),
        processorArb,
        fc.nat(),
        (records, base, extra, at) => {
          const extended = base.slice();
          extended.splice(at % (base.length + 1), 0, extra);
          const before = keys(
            simulate(records, config({ streams: [{ name: "s", processors: base }] }), options),
          );
          const after = keys(
            simulate(records, config({ streams: [{ name: "s", processors: extended }] }), options),
          );
          for (const k of after) expect(before.has(k)).toBe(true);
        },
      ),
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(recordsArb, fc.array(processorArb, { maxLength: 3 }), (records, processors) => {
        const cfg = config({ streams: [{ name: "s", processors }] });
        expect(simulate(records, cfg, options)).toEqual(simulate(records, cfg, options));
      }),
    );
  });
});
