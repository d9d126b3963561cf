import { describe, expect, it } from "vitest";
import { analyzeConfig } from "../analyze/analyze.js";
import { LoggingConfigSchema } from "../model/logging-config.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { binomialBound, observeProbabilities } from "./probabilities.js";

const profile = BUILTIN_PROFILES.reconstructable!;
const NUM_RUNS = 600;

const SAMPLERS = {
  "probabilistic_sampler 10%": { probabilistic_sampler: { sampling_percentage: 10, hash_seed: 22 } },
  // Errors always kept, the rest at 25%. A long decision_wait: the exact figure is about content, and
  // this test is about the hash; late errors are the subject of the next test.
  "tail_sampling 25% with an error policy": {
    tail_sampling: {
      decision_wait: "1h",
      policies: [
        { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        { name: "rest", type: "probabilistic", probabilistic: { sampling_percentage: 25 } },
      ],
    },
  },
};

describe("exact keep probabilities beside the Monte Carlo estimate", () => {
  it.each(Object.entries(SAMPLERS))(
    "%s: observed within 4.5 standard deviations of exact",
    (_name, sampler) => {
      const config = LoggingConfigSchema.parse({
        streams: [{ name: "actions", match: { default: true }, processors: [sampler] }],
      });
      const exact = analyzeConfig(config, profile).probabilities;
      const rows = observeProbabilities(config, profile, exact, {
        numRuns: NUM_RUNS,
        seed: 3,
        auditAfterNs: 0n,
      });
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.runs, `${row.kind} ${row.class}`).toBeGreaterThan(20);
        const bound = binomialBound(row.exact, row.runs);
        expect(
          Math.abs(row.observed! - row.exact),
          `${row.kind} ${row.class}: n=${row.runs}`,
        ).toBeLessThanOrEqual(bound);
      }
      const plain = rows.find((r) => r.kind === "agent" && r.class === "plain")!;
      expect(plain.exact).toBeCloseTo("probabilistic_sampler" in sampler ? 0.1 : 0.25, 3);
    },
  );

  it("late errors: with a 10 s decision_wait a failed run is kept less often than its exact figure says", () => {
    // analyze reads content only; a failed run whose error span ends after decision_wait is decided on
    // the spans before it. The observed share shows what the exact figure leaves out.
    const config = LoggingConfigSchema.parse({
      streams: [
        {
          name: "actions",
          processors: [
            {
              tail_sampling: {
                decision_wait: "10s",
                policies: [{ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }],
              },
            },
          ],
        },
      ],
    });
    const exact = analyzeConfig(config, profile).probabilities;
    const rows = observeProbabilities(config, profile, exact, { numRuns: 300, seed: 3, auditAfterNs: 0n });
    const failed = rows.find((r) => r.kind === "tool" && r.class === "failed")!;
    expect(failed.exact).toBe(1);
    expect(failed.observed!).toBeLessThan(1);
  });

  it("binomialBound is 4.5 standard deviations of a share", () => {
    expect(binomialBound(0.25, 400)).toBeCloseTo(4.5 * Math.sqrt((0.25 * 0.75) / 400), 12);
    expect(binomialBound(1, 50)).toBe(0);
    expect(binomialBound(0.5, 0)).toBe(1);
  });
});
