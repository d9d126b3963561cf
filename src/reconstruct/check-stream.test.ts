import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLoggingConfig } from "../config/logging.js";
import type { RunVerdict } from "../model/gap.js";
import type { SpanRecord } from "../model/record.js";
import { OutOfOrderInput, RunFeed } from "../pipeline/run-feed.js";
import { InThreadSealer, type Sealer, SealsFailed } from "../pipeline/seal.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { config } from "../testing/logging-configs.js";
import { SECOND, span } from "../testing/records.js";
import { checkRecords } from "./check.js";
import { checkStream } from "./check-stream.js";

const profile = BUILTIN_PROFILES.reconstructable!;
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** Runs spread over time, each a root and children, read in end order give or take `jitter` seconds. */
const inputArb = fc
  .record({
    traces: fc.array(hex(32), { minLength: 1, maxLength: 8 }),
    rows: fc.array(
      fc.record({
        trace: fc.nat(7),
        offsetS: fc.integer({ min: 0, max: 40 }),
        durationS: fc.integer({ min: 0, max: 20 }),
        error: fc.boolean(),
        kind: fc.constantFrom("llm", "tool", "agent", "other"),
        jitter: fc.integer({ min: -8, max: 8 }),
        late: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ traces, rows }) => {
    const records = rows.map((r) => {
      const t = r.trace % traces.length;
      // Each run starts 30 s after the previous one; now and then a span ends long after its run.
      const startS = t * 30 + r.offsetS;
      const endS = startS + r.durationS + (r.late && r.error ? 300 : 0);
      return {
        record: span({
          traceId: traces[t]!,
          startS,
          endS,
          kind: r.kind as SpanRecord["kind"],
          status: { code: r.error ? "error" : "unset" },
          attributes: { "gen_ai.operation.name": r.kind === "llm" ? "chat" : "execute_tool" },
        }),
        readAt: endS + r.jitter,
      };
    });
    return records.sort((a, b) => a.readAt - b.readAt).map((r) => r.record);
  });

const configArb = fc.constantFrom(
  "streams: [{ name: all, match: { default: true } }]",
  `streams:
  - { name: llm, match: { kind: [llm] }, processors: [{ probabilistic_sampler: { sampling_percentage: 50, hash_seed: 3 } }] }
  - name: rest
    match: { default: true }
    retention: 30d
    processors:
      - tail_sampling:
          decision_wait: 10s
          num_traces: 3
          policies: [{ name: e, type: status_code, status_code: { status_codes: [ERROR] } }]
      - redaction: { allow_all_keys: true, blocked_values: ["a+"] }`,
  `sdk: { schedule_delay: 5s, max_queue_size: 3, max_export_batch_size: 2, flush_on_exit: false }
streams:
  - name: all
    match: { default: true }
    integrity: merkle-checkpoints
    processors:
      - tail_sampling: { decision_wait: 5s, policies: [{ name: all, type: always_sample }] }`,
);

async function streamed(
  records: SpanRecord[],
  yaml: string,
  latenessS: number,
  gapS: number,
  sealer?: Sealer,
) {
  const verdicts: RunVerdict[] = [];
  const result = await checkStream(
    each(records),
    parseLoggingConfig(yaml),
    profile,
    {
      auditAfterNs: 0n,
      latenessNs: BigInt(latenessS) * SECOND,
      runGapNs: BigInt(gapS) * SECOND,
      ...(sealer ? { sealer } : {}),
    },
    (v) => verdicts.push(v),
  );
  return { verdicts, unknown: result.unknown, streams: result.streams };
}

/** Seals as if elsewhere: no seal at once, each log's summary once settled (failed for `failing`). */
class SealedElsewhere implements Sealer {
  private readonly here = new InThreadSealer();
  settled = false;
  constructor(private readonly failing?: number) {}
  seal(log: number, lines: readonly string[]): undefined {
    this.here.seal(log, lines);
  }
  summary(log: number) {
    expect(this.settled).toBe(true);
    const s = this.here.summary(log);
    return log === this.failing ? { ...s, valid: false, findings: ["planted"] } : s;
  }
  settle(all: boolean) {
    if (!all) return undefined;
    return Promise.resolve().then(() => {
      this.settled = true;
    });
  }
}

describe("checkStream", () => {
  it("gives the verdicts of the whole-input check, or says the input can't be streamed exactly", async () => {
    let exact = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        inputArb,
        configArb,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 60 }),
        async (records, yaml, lateness, gap) => {
          const whole = checkRecords(records, parseLoggingConfig(yaml), profile, { auditAfterNs: 0n });
          try {
            const got = await streamed(records, yaml, lateness, gap);
            expect(got.verdicts).toEqual(whole.verdicts);
            expect(got.unknown).toEqual(whole.view.unknown);
            exact++;
          } catch (err) {
            if (!(err instanceof OutOfOrderInput)) throw err;
            refused++;
          }
        },
      ),
      { numRuns: 300 },
    );
    // Both paths are exercised: most inputs stream, some must be checked whole.
    expect(exact).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(10);
  });

  it("with seals made elsewhere, gives the verdicts and logs of seals made here, or voids them when a seal failed", async () => {
    const sealed = `streams:
  - { name: llm, match: { kind: [llm] }, integrity: merkle-checkpoints }
  - name: rest
    match: { default: true }
    integrity: merkle-checkpoints
    processors:
      - tail_sampling: { decision_wait: 5s, num_traces: 2, policies: [{ name: e, type: status_code, status_code: { status_codes: [ERROR] } }] }`;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(inputArb, fc.constant(sealed), async (records, yaml) => {
        let here: Awaited<ReturnType<typeof streamed>>;
        try {
          here = await streamed(records, yaml, 20, 60);
        } catch (err) {
          if (!(err instanceof OutOfOrderInput)) throw err;
          await expect(streamed(records, yaml, 20, 60, new SealedElsewhere())).rejects.toThrow(
            OutOfOrderInput,
          );
          return;
        }
        expect(await streamed(records, yaml, 20, 60, new SealedElsewhere())).toEqual(here);
        if (records.length > 0) {
          await expect(streamed(records, yaml, 20, 60, new SealedElsewhere(1))).rejects.toThrow(SealsFailed);
        }
        compared++;
      }),
      { numRuns: 100 },
    );
    expect(compared).toBeGreaterThan(50);
  });

  it("releases each run once it is complete, holding only the runs still open", () => {
    const open: number[] = [];
    let released = 0;
    const feed = new RunFeed(
      config({
        streams: [
          {
            name: "s",
            processors: [
              { tail_sampling: { decision_wait: "10s", policies: [{ name: "a", type: "always_sample" }] } },
            ],
          },
        ],
      }),
      { auditAfterNs: 0n, latenessNs: 5n * SECOND, runGapNs: 30n * SECOND },
      () => released++,
    );
    for (let run = 0; run < 200; run++) {
      const traceId = run.toString(16).padStart(32, "0");
      for (let s = 0; s < 5; s++) feed.add(span({ traceId, startS: run * 60, endS: run * 60 + s }));
      open.push(run + 1 - released);
    }
    feed.end();
    expect(released).toBe(200);
    // A run is complete 30 s after its last span, plus 5 s of lateness: at most two runs are open.
    expect(Math.max(...open)).toBeLessThanOrEqual(2);
  });

  it("streams spans that end within the lateness of the Unix epoch, as hand-written traces do", async () => {
    // The watermark (latest end minus lateness) is below zero for the first spans: it decides nothing
    // then, and is not mistaken for a time after them.
    const atS = (s: number) => (BigInt(s) * SECOND).toString();
    const records: SpanRecord[] = [];
    for (let run = 0; run < 40; run++) {
      const traceId = (run + 1).toString(16).padStart(32, "0");
      for (let s = 0; s < 3; s++) {
        const start = run * 60 + s;
        records.push(span({ traceId, start: atS(start), end: atS(start + 1), status: { code: "error" } }));
      }
    }
    const yaml = `streams:
  - name: all
    match: { default: true }
    processors:
      - tail_sampling:
          decision_wait: 10s
          policies: [{ name: some, type: probabilistic, probabilistic: { sampling_percentage: 50 } }]`;
    const whole = checkRecords(records, parseLoggingConfig(yaml), profile, { auditAfterNs: 0n });
    const got = await streamed(records, yaml, 60, 600);
    expect(got.verdicts).toEqual(whole.verdicts);

    let released = 0;
    const feed = new RunFeed(
      parseLoggingConfig(yaml),
      { auditAfterNs: 0n, latenessNs: 60n * SECOND, runGapNs: 600n * SECOND },
      () => released++,
    );
    for (const r of records) feed.add(r);
    // Runs that ended 660 s (run gap plus lateness) before the last span were released while reading.
    const beforeEnd = released;
    feed.end();
    expect(beforeEnd).toBeGreaterThan(20);
    expect(released).toBe(40);
  });

  it("refuses a span that comes after its run was released, and one far out of end order", () => {
    const feed = () =>
      new RunFeed(
        config({ streams: [{ name: "s" }] }),
        { auditAfterNs: 0n, latenessNs: 5n * SECOND, runGapNs: 10n * SECOND },
        () => {},
      );
    const a = "a".repeat(32);
    const b = "b".repeat(32);
    const reopened = feed();
    reopened.add(span({ traceId: a, startS: 0, endS: 1 }));
    reopened.add(span({ traceId: b, startS: 0, endS: 100 }));
    expect(() => reopened.add(span({ traceId: a, startS: 0, endS: 120 }))).toThrow(
      /after its run was complete/,
    );
    const late = feed();
    late.add(span({ traceId: b, startS: 0, endS: 100 }));
    expect(() => late.add(span({ traceId: a, startS: 0, endS: 90 }))).toThrow(OutOfOrderInput);
  });
});
