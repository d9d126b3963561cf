import { describe, expect, it } from "vitest";
import { config, oneStream } from "../../testing/logging-configs.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";
import { fnv1a32, le32, traceIdBytes } from "./hash.js";
import { makeProbabilisticSampler, samplingPriority } from "./probabilistic-sampler.js";
import { probabilityToThreshold, traceIdRandomness } from "./sampling-threshold.js";

const A = "0102030405060708090a0b0c0d0e0f10";
const W3C = "4bf92f3577b34da6a3ce929d0e0e4736";
const ONE = "00000000000000000000000000000001";
const ALL_F = "ffffffffffffffffffffffffffffffff";
const OTEL = "5b8efff798038103d269b633813fc60c";

describe("hash_seed mode (fnvhasher.go, sampler_mode.go)", () => {
  it("hashes LE32(seed) ‖ trace-id bytes with FNV-1a 32", () => {
    // h0 = 0x811c9dc5 (offset basis); prime 0x01000193. LE32(22) = 16 00 00 00.
    //   byte 0x16: (0x811c9dc5 ^ 0x16) = 0x811c9dd3; × prime mod 2^32 = 0x130c7329
    //   byte 0x00: 0x130c7329 × prime mod 2^32 = 0x2599498b
    //   byte 0x00: 0x2599498b × prime mod 2^32 = 0xbb4ec5d1
    //   … 17 more bytes (00, then 01 02 … 10) → 0xd863b443.
    expect(fnv1a32(le32(22), traceIdBytes(A)).toString(16)).toBe("d863b443");
    expect(fnv1a32(le32(22), traceIdBytes(OTEL)).toString(16)).toBe("a2a64cc9");
    expect(fnv1a32(le32(1), traceIdBytes(ONE)).toString(16)).toBe("8b14097");
  });

  it("scales the percentage in float32 and truncates", () => {
    // uint32(float32(10) × float32(163.84)) = uint32(1638.4) = 1638; 25% → 4096;
    // 33.3% → float32(33.3) = 33.29999923706055, × 163.84 = 5455.9…, → 5455; 100% → 16384.
    const scaled = (pct: number) =>
      makeProbabilisticSampler({ sampling_percentage: pct, mode: "hash_seed", hash_seed: 22 })
        .keepProbability * 16384;
    expect(scaled(10)).toBe(1638);
    expect(scaled(25)).toBe(4096);
    expect(scaled(33.3)).toBe(5455);
    expect(scaled(100)).toBe(16384);
    expect(scaled(0.01)).toBe(1);
  });

  it("keeps iff (h & 0x3fff) < threshold", () => {
    const s10 = makeProbabilisticSampler({ sampling_percentage: 10, hash_seed: 22 });
    expect(s10.mode).toBe("hash_seed"); // hash_seed ≠ 0 and mode unset → hash_seed
    // 0xd863b443 & 0x3fff = 0x3443 = 13379 ≥ 1638 → dropped
    expect(s10.decide(A)).toEqual({
      keep: false,
      detail: "trace hash 0xd863b443 & 0x3fff = 13379 ≥ threshold 1638 (10%, hash_seed 22)",
    });
    // 0xa2a64cc9 & 0x3fff = 0x0cc9 = 3273 ≥ 1638 → dropped at 10%, kept at 25% (< 4096)
    expect(s10.decide(OTEL).keep).toBe(false);
    expect(makeProbabilisticSampler({ sampling_percentage: 25, hash_seed: 22 }).decide(OTEL).keep).toBe(true);
    // seed 1: 0x08b14097 & 0x3fff = 0x0097 = 151 < 1638 → kept;
    //         0x067347d4 & 0x3fff = 0x07d4 = 2004 ≥ 1638 → dropped (kept at 25%)
    const s1 = makeProbabilisticSampler({ sampling_percentage: 10, hash_seed: 1 });
    expect(s1.decide(ONE).keep).toBe(true);
    expect(s1.decide(A).keep).toBe(false);
    // seed 1, 0xffff…: 0x914b07f4 & 0x3fff = 0x07f4 = 2036 ≥ 1638 → dropped
    expect(s1.decide(ALL_F).keep).toBe(false);
  });

  it("is the mode when none is set, whatever the seed (sampler_mode.go makeSampler: defaultMode = HashSeed)", () => {
    // collector-contrib #36802 / #37536: an unset mode is hash_seed even with hash_seed 0; the README's
    // "proportional unless hash_seed is set" was never the code. FNV-1a-32(LE32(0) ‖ W3C) = 0x3420408d,
    // & 0x3fff = 141 < 1638 → kept at 10%, where proportional would drop it (R = 0xce92… < 0xe666…).
    const unset = makeProbabilisticSampler({ sampling_percentage: 10 });
    expect(unset.mode).toBe("hash_seed");
    expect(unset.decide(W3C)).toEqual({
      keep: true,
      detail: "trace hash 0x3420408d & 0x3fff = 141 < threshold 1638 (10%, hash_seed 0)",
      // randomnessFromBytes: R' = 0x3fff − 141 = 0x3f72, then (u ^ u << 10) of the 18 unused bits
      // u = 0xd081 (0x342d481), then the bucket 0x8d; th is the reject threshold (16384 − 1638) << 42.
      written: "ot=rv:fdc8d0b520408d;th:e668",
    });
    // A: 0xdf241a25 & 0x3fff = 6693 ≥ 1638 → dropped; proportional would keep it at 10%? R = 0x0a0b… < T → no;
    // ALL_F: 0x291a1545 & 0x3fff = 5445 ≥ 1638 → dropped, where proportional keeps it (R = 0xffff… ≥ any T).
    expect(unset.decide(A).keep).toBe(false);
    expect(unset.decide(ALL_F).keep).toBe(false);
    expect(
      makeProbabilisticSampler({ sampling_percentage: 10, mode: "proportional" }).decide(ALL_F).keep,
    ).toBe(true);
  });

  it("writes rv and th into the tracestate of a span it keeps (Test_tracesamplerprocessor_HashSeedTraceState)", () => {
    const tvout: [number, string][] = [
      [100, "0"],
      [75, "4"],
      [50, "8"],
      [25, "c"],
      [10, "e668"], // 14-bit rounding: e668, not e666
      [100 / 3, "aaac"], // not aaab
    ];
    for (const [pct, th] of tvout) {
      const sampler = makeProbabilisticSampler({ sampling_percentage: pct, mode: "hash_seed", hash_seed: 1 });
      let found = 0;
      for (let i = 1; found < 10; i++) {
        const decision = sampler.decide(i.toString(16).padStart(32, "0"));
        if (!decision.keep) continue;
        found++;
        const [, rv, t] = /^ot=rv:([0-9a-f]{14});th:([0-9a-f]+)$/.exec(decision.written ?? "") ?? [];
        expect(t, `${pct}%`).toBe(th);
        // the written threshold passes the written randomness (T ≤ R)
        expect(BigInt(`0x${t}`) << BigInt(4 * (14 - t!.length))).toBeLessThanOrEqual(BigInt(`0x${rv}`));
      }
    }
  });

  it("drops everything a second hash_seed sampler sees after a first one kept it: its rv is an error", () => {
    // Two samplers in a row (the same at a gateway behind an agent collector): the first writes
    // ot=rv:…;th:… on what it keeps, the second finds rv (ErrRandomnessInUse) and fail_closed drops it.
    const records = [span({ traceId: W3C }), span({ traceId: ONE })];
    const first = { probabilistic_sampler: { sampling_percentage: 50, hash_seed: 0 } };
    const alone = simulate(records, oneStream([first]), { auditAfterNs: 0n });
    expect(alone.stored.length).toBeGreaterThan(0);
    const chained = simulate(
      records,
      oneStream([first, { probabilistic_sampler: { sampling_percentage: 100, hash_seed: 7 } }]),
      { auditAfterNs: 0n },
    );
    expect(chained.stored).toHaveLength(0);
    expect(
      chained.losses.filter((l) => l.stage === "s/probabilistic_sampler[1]").map((l) => l.detail),
    ).toEqual(
      alone.stored.map(
        () =>
          "the tracestate carries rv (item has sampling randomness, equalizing or proportional mode recommended); fail_closed true drops it",
      ),
    );
    // a proportional sampler after it reads the rv and th the first one wrote
    const proportional = simulate(
      records,
      oneStream([first, { probabilistic_sampler: { sampling_percentage: 100, mode: "proportional" } }]),
      { auditAfterNs: 0n },
    );
    expect(proportional.stored.map((s) => s.record.traceState)).toEqual(
      alone.stored.map((s) => s.record.traceState),
    );
  });

  it("keeps nothing at 0% and everything at ≥ 100%", () => {
    expect(makeProbabilisticSampler({ sampling_percentage: 0, hash_seed: 22 }).decide(ONE).keep).toBe(false);
    for (const id of [A, W3C, ONE, ALL_F, OTEL]) {
      expect(makeProbabilisticSampler({ sampling_percentage: 100, hash_seed: 22 }).decide(id).keep).toBe(
        true,
      );
      expect(makeProbabilisticSampler({ sampling_percentage: 250, hash_seed: 5 }).decide(id).keep).toBe(true);
    }
  });

  it("drops an all-zero trace id when fail_closed (the default), keeps it otherwise", () => {
    const zero = "0".repeat(32);
    expect(makeProbabilisticSampler({ sampling_percentage: 50, hash_seed: 3 }).decide(zero).keep).toBe(false);
    expect(
      makeProbabilisticSampler({ sampling_percentage: 50, hash_seed: 3, fail_closed: false }).decide(zero)
        .keep,
    ).toBe(true);
  });
});

describe("proportional mode (pkg/sampling)", () => {
  it("computes thresholds with sampling_precision 4", () => {
    // 10%: frexp(0.1) exp −3, frexp(0.9) exp 0 → precision stays 4;
    //   T = 2^56 − round(0.1 · 2^56) = 0xe66666666666666 − … rounded to 4 hex digits = 0xe6660000000000
    expect(probabilityToThreshold(0.1, 4)!.toString(16)).toBe("e6660000000000");
    // 25%: T = 0.75 · 2^56 = 0xc0000000000000 exactly
    expect(probabilityToThreshold(0.25, 4)!.toString(16)).toBe("c0000000000000");
    // 33.3% as float32 (33.29999923706055) / 100 = 0.33299999237060546 → T ≈ 0xaac0f5…, rounded → 0xaac10000000000
    expect(probabilityToThreshold(Math.fround(33.3) / 100, 4)!.toString(16)).toBe("aac10000000000");
    // 1%: frexp(0.01) exp −6 → precision 4 + 1 = 5 → 0xfd70a000000000
    expect(probabilityToThreshold(0.01, 4)!.toString(16)).toBe("fd70a000000000");
    // 0.1% (float32): exp −9 → precision 6 → 0xffbe7700000000
    expect(probabilityToThreshold(Math.fround(0.1) / 100, 4)!.toString(16)).toBe("ffbe7700000000");
    expect(probabilityToThreshold(1, 4)).toBe(0n);
    expect(probabilityToThreshold(2 ** -60, 4)).toBeUndefined();
  });

  it("reads randomness from the low 56 bits of the trace id", () => {
    expect(traceIdRandomness(traceIdBytes(W3C)).toString(16)).toBe("ce929d0e0e4736");
    expect(traceIdRandomness(traceIdBytes(A)).toString(16)).toBe("a0b0c0d0e0f10");
  });

  it("keeps iff R ≥ T", () => {
    const proportional = (pct: number) =>
      makeProbabilisticSampler({ sampling_percentage: pct, mode: "proportional" });
    const p10 = proportional(10);
    expect(p10.mode).toBe("proportional");
    // R(W3C) = 0xce929d0e0e4736 < T(10%) = 0xe6660000000000 → dropped; ≥ T(25%) = 0xc0000000000000 → kept
    expect(p10.decide(W3C).keep).toBe(false);
    expect(proportional(25).decide(W3C).keep).toBe(true);
    // R(ffff…) = 0xffffffffffffff ≥ any T < 2^56 → kept at 10%
    expect(p10.decide(ALL_F).keep).toBe(true);
    // R(OTEL) = 0x69b633813fc60c: < 0xaac10000000000 (33.3%) → dropped; ≥ 0x80000000000000? no → dropped at 50%
    expect(proportional(33.3).decide(OTEL).keep).toBe(false);
    expect(proportional(50).decide(OTEL).keep).toBe(false);
    expect(p10.decide(W3C).detail).toBe(
      "randomness R = 0xce929d0e0e4736 (low 56 bits of the trace id) < threshold T = 0xe6660000000000 (t-value e666) (10%, sampling_precision 4)",
    );
    expect(p10.keepProbability).toBeCloseTo(0.1, 4);
  });

  it("equalizing mode decides as proportional when no tracestate threshold arrives", () => {
    for (const id of [A, W3C, ONE, ALL_F, OTEL]) {
      expect(makeProbabilisticSampler({ sampling_percentage: 25, mode: "equalizing" }).decide(id).keep).toBe(
        makeProbabilisticSampler({ sampling_percentage: 25, mode: "proportional" }).decide(id).keep,
      );
    }
  });
});

/** A span's decision for a tracestate, as the collector's tests state it. */
const spanDecision = (
  settings: Parameters<typeof makeProbabilisticSampler>[0],
  traceId: string,
  traceState: string,
): boolean => makeProbabilisticSampler(settings).decide(traceId, traceState).keep;
/** false when the sampler drops the span, else the tracestate the kept span leaves with. */
const keptAs = (
  settings: Parameters<typeof makeProbabilisticSampler>[0],
  traceId: string,
  traceState: string,
): string | false => {
  const decision = makeProbabilisticSampler(settings).decide(traceId, traceState);
  return decision.keep ? (decision.written ?? "(unchanged)") : false;
};
const two = (written: string): [string, string] => [written, written];

describe("the span's tracestate (tracesprocessor.go randomnessFromSpan, sampler_mode.go commonShouldSampleLogic)", () => {
  // Test_tracesamplerprocessor_TraceState (tracesprocessor_test.go): its configs are Go literals, so
  // fail_closed is false and sampling_precision 0 (= 14 digits) unless the case sets them.
  const TID = "fefefefefefefefefe80000000000000"; // randomness 0x80000000000000: sampled at 50%, not at 49%
  const IMPROBABLE = "111111111111111111ffffffffffffff";
  // Each case: what the equalizing and the proportional sampler do with the span — false when dropped,
  // else the tracestate the kept span leaves with (the Go test's expected TraceState().AsRaw()).
  type Case = [
    name: string,
    pct: number,
    precision: number,
    tid: string,
    ts: string,
    eq: string | false,
    prop: string | false,
  ];
  const cases: Case[] = [
    ["100 percent", 100, 14, TID, "", "ot=th:0", "ot=th:0"],
    ["50 percent sampled", 50, 14, TID, "", "ot=th:8", "ot=th:8"],
    ["25 percent sampled", 25, 14, "ddddddddddddddddddc0000000000000", "", "ot=th:c", "ot=th:c"],
    ["25 percent unsampled", 25, 14, "ddddddddddddddddddb0000000000000", "", false, false],
    // upper-case digits of an arriving rv pass through; a written th is lower case
    [
      "1 percent sampled",
      1,
      14,
      TID,
      "ot=rv:FD70A3D70A3D71",
      ...two("ot=rv:FD70A3D70A3D71;th:fd70a3d70a3d71"),
    ],
    [
      "1 percent sampled with rvalue and precision 4",
      1,
      4,
      TID,
      "ot=rv:FD70A3D70A3D71",
      ...two("ot=rv:FD70A3D70A3D71;th:fd70a"),
    ],
    ["1 percent sampled with rvalue and precision 3", 1, 3, TID, "ot=rv:FD70A3D70A3D71", false, false],
    ["1 percent not sampled with rvalue", 1, 14, TID, "ot=rv:FD70A3D70A3D70", false, false],
    ["49 percent not sampled with default tid", 49, 14, TID, "", false, false],
    [
      "1 percent sampled with rvalue",
      1,
      14,
      TID,
      "ot=rv:fd70B000000000",
      ...two("ot=rv:fd70B000000000;th:fd70a3d70a3d71"),
    ],
    ["1 percent sampled with tid", 1, 4, "a0a0a0a0a0a0a0a0a0fe000000000000", "", ...two("ot=th:fd70a")],
    // the extra zeros of an arriving th are erased when it is written again
    [
      "incoming 50 percent with rvalue",
      50,
      14,
      TID,
      "ot=rv:90000000000000;th:80000000000000",
      "ot=rv:90000000000000;th:8",
      false,
    ],
    ["incoming 50 percent at 25 percent not sampled", 25, 14, TID, "ot=th:8", false, false],
    ["incoming 50 percent at 25 percent sampled", 25, 14, ALL_F, "ot=th:8", "ot=th:c", "ot=th:e"],
    [
      "equalizing vs proportional",
      50,
      14,
      TID,
      "ot=rv:c0000000000000;th:8",
      "ot=rv:c0000000000000;th:8",
      "ot=rv:c0000000000000;th:c",
    ],
    // the inconsistent th is cleared, and the span kept under fail_closed false is written at th 0
    [
      "inconsistent arriving threshold (fail open)",
      100,
      14,
      TID,
      "ot=rv:40000000000000;th:8",
      ...two("ot=rv:40000000000000;th:0"),
    ],
    [
      "40 percent precision 3 with rvalue",
      40,
      3,
      TID,
      "ot=rv:a0000000000000",
      ...two("ot=rv:a0000000000000;th:99a"),
    ],
    [
      "arriving 50 percent at 40 percent precision 6",
      40,
      6,
      "a0a0a0a0a0a0a0a0a0d0000000000000",
      "ot=th:8",
      "ot=th:99999a",
      "ot=th:cccccd",
    ],
    [
      "arriving 50 percent at 40 percent partly sampled",
      40,
      3,
      "a0a0a0a0a0a0a0a0a0b0000000000000",
      "ot=th:8",
      "ot=th:99a",
      false,
    ],
    [
      "arriving 50 percent at 40 percent not sampled",
      40,
      3,
      "a0a0a0a0a0a0a0a0a080000000000000",
      "ot=th:8",
      false,
      false,
    ],
    ["200 percent equals 100 percent", 200, 14, TID, "", "ot=th:0", "ot=th:0"],
    [
      "tiny probability rounding",
      100 * 2 ** -14,
      14,
      IMPROBABLE,
      "ot=th:fffc",
      "ot=th:fffc",
      "ot=th:fffffff",
    ],
    ["almost 100pct sampling", (1 - 8e-7) * 100, 10, IMPROBABLE, "", ...two("ot=th:00000cccccccd")],
    ["probability underflow", 2 ** -4, 14, IMPROBABLE, "ot=th:fffffffffffff8", "ot=th:fffffffffffff8", false],
  ];
  for (const [name, pct, precision, tid, ts, eq, prop] of cases) {
    it(name, () => {
      const base = { sampling_percentage: pct, sampling_precision: precision, fail_closed: false };
      expect(keptAs({ ...base, mode: "equalizing" }, tid, ts)).toBe(eq);
      expect(keptAs({ ...base, mode: "proportional" }, tid, ts)).toBe(prop);
    });
  }

  it("writes th 0 on a span sampling.priority keeps, and drops one it drops (sampled / not sampled by priority)", () => {
    for (const mode of ["equalizing", "proportional"] as const) {
      const view = simulate(
        [
          span({ traceId: TID, spanId: "00000000fefefefe", attributes: { "sampling.priority": 2 } }),
          span({ traceId: TID, spanId: "00000000fefefeff", attributes: { "sampling.priority": 0 } }),
        ],
        oneStream([{ probabilistic_sampler: { sampling_percentage: 1, mode, sampling_precision: 14 } }]),
        { auditAfterNs: 0n },
      );
      expect(view.stored.map((s) => [s.record.spanId, s.record.traceState])).toEqual([
        ["00000000fefefefe", "ot=th:0"],
      ]);
    }
    // an arriving th is not raised to 0 (ErrInconsistentSampling): it stays as it came
    expect(
      makeProbabilisticSampler({ sampling_percentage: 1, mode: "proportional" }).decide(
        TID,
        "ot=th:8",
        "keep",
      ),
    ).toMatchObject({ keep: true, written: "ot=th:8" });
  });

  it("drops a span whose tracestate or randomness fails, under fail_closed (Test_tracesamplerprocessor_TraceStateErrors)", () => {
    const errors: [string, string][] = [
      ["0".repeat(32), ""], // missing randomness
      [TID, "ot=rv:abababababababab"], // r-value must have 14 hex digits
      [TID, "ot=th:abababababababab"], // t-value exceeds 14 hex digits
      [TID, "ot=th:-1"], // invalid syntax
      ["ffffffffffffffffff70000000000000", "ot=th:8"], // inconsistent arriving threshold (trace id)
      [TID, "ot=th:8;rv:70000000000000"], // inconsistent arriving threshold (r-value)
      [TID, "ot=rv:40000000000000;th:8"],
    ];
    for (const mode of ["equalizing", "proportional"] as const) {
      for (const [tid, ts] of errors) {
        const settings = { sampling_percentage: 100, mode, fail_closed: true };
        expect(spanDecision(settings, tid, ts), `${mode} ${tid} ${ts}`).toBe(false);
        expect(makeProbabilisticSampler(settings).decide(tid, ts).detail).toMatch(
          /fail_closed true drops it$/,
        );
      }
    }
    // a vendor's member alone is no sampling information; a malformed W3C list is an error
    expect(spanDecision({ sampling_percentage: 100, mode: "proportional" }, TID, "congo=t61rcWkgMzE")).toBe(
      true,
    );
    expect(spanDecision({ sampling_percentage: 100, mode: "proportional" }, TID, "Bad=1")).toBe(false);
  });

  it("hash_seed mode leaves a tracestate with rv or th alone: an error, settled by fail_closed", () => {
    // hashingSampler.randomnessFromSpan returns ErrRandomnessInUse / ErrThresholdInUse.
    for (const ts of ["ot=rv:ce929d0e0e4736", "ot=th:0", "ot=th:8;rv:ffffffffffffff"]) {
      expect(spanDecision({ sampling_percentage: 100, hash_seed: 5 }, W3C, ts)).toBe(false);
      expect(spanDecision({ sampling_percentage: 100, hash_seed: 5, fail_closed: false }, W3C, ts)).toBe(
        true,
      );
    }
    expect(
      makeProbabilisticSampler({ sampling_percentage: 100, hash_seed: 5 }).decide(W3C, "ot=th:0").detail,
    ).toBe(
      "the tracestate carries th (item has sampling threshold, equalizing or proportional mode recommended); fail_closed true drops it",
    );
    // another vendor's member does not stop the hash
    expect(spanDecision({ sampling_percentage: 100, hash_seed: 5 }, W3C, "congo=t61rcWkgMzE")).toBe(true);
  });

  it("decides each span by its own tracestate inside the pipeline", () => {
    const plain = span({ traceId: TID });
    const marked = span({ traceId: TID, traceState: "ot=th:8" });
    const view = simulate(
      [plain, marked],
      oneStream([{ probabilistic_sampler: { sampling_percentage: 50, mode: "proportional" } }]),
      { auditAfterNs: 0n },
    );
    // 50% of an incoming 50% is 25%: R = 0x80… < T = 0xc0… drops the marked span, not its sibling
    expect(view.stored.map((s) => s.record.spanId)).toEqual([plain.spanId]);
    expect(view.losses.map((l) => l.spanId)).toEqual([marked.spanId]);
  });
});

describe("sampling.priority (tracesprocessor.go)", () => {
  it("parses the attribute as the processor does", () => {
    expect(samplingPriority(0)).toBe("drop");
    expect(samplingPriority(3)).toBe("keep");
    expect(samplingPriority(-1)).toBeUndefined();
    expect(samplingPriority("0.0")).toBe("drop");
    expect(samplingPriority("1")).toBe("keep");
    expect(samplingPriority("yes")).toBeUndefined();
    expect(samplingPriority("")).toBeUndefined();
    expect(samplingPriority(true)).toBeUndefined();
  });

  it("overrides the hash decision per span", () => {
    // A at 10%, hash_seed 22 is dropped (13379 ≥ 1638): a priority-1 span survives, its siblings do not.
    const keep = span({ traceId: A, attributes: { "sampling.priority": 1 } });
    const other = span({ traceId: A });
    const view = simulate(
      [keep, other],
      oneStream([{ probabilistic_sampler: { sampling_percentage: 10, hash_seed: 22 } }]),
      { auditAfterNs: 0n },
    );
    expect(view.stored.map((s) => s.record.spanId)).toEqual([keep.spanId]);
    expect(view.losses).toHaveLength(1);
    expect(view.losses[0]).toMatchObject({
      spanId: other.spanId,
      stage: "s/probabilistic_sampler[0]",
      cause: "sampling",
    });
    // and a priority-0 span is dropped from a kept trace
    const drop = span({ traceId: ALL_F, attributes: { "sampling.priority": 0 } });
    const v2 = simulate([drop], oneStream([{ probabilistic_sampler: { sampling_percentage: 100 } }]), {
      auditAfterNs: 0n,
    });
    expect(v2.stored).toHaveLength(0);
    expect(v2.losses[0]!.detail).toBe("sampling.priority = 0 on this span drops it");
  });

  it("summarises the sampler per stream", () => {
    const view = simulate(
      [],
      config({
        streams: [
          {
            name: "llm",
            processors: [{ probabilistic_sampler: { sampling_percentage: 10, hash_seed: 22 } }],
          },
        ],
      }),
      { auditAfterNs: 0n },
    );
    expect(view.streams[0]!.samplers).toEqual([
      {
        stage: "llm/probabilistic_sampler[0]",
        processor: "probabilistic_sampler",
        mode: "hash_seed",
        keepProbability: 1638 / 16384,
        detail: "hash_seed mode: keep iff FNV-1a-32(LE32(22) ‖ trace id) & 0x3fff < 1638 (10%)",
      },
    ]);
  });
});
