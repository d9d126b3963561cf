import { describe, expect, it } from "vitest";
import { EXAMPLE_CAUSES, loadExample as load } from "../../examples/logging/causes.js";
import { checkProperties } from "./properties.js";

const SEED = 1;

describe("checkProperties", () => {
  it.each(EXAMPLE_CAUSES)(
    "finds the cause of %s within the default run count, and its path replays the same run",
    async (file, cause) => {
      const { config, profile, auditAfterNs } = await load(file);
      const options = { seed: SEED, auditAfterNs, probabilities: false, source: ["--logging", file] };
      const result = checkProperties(config, profile, options);
      expect(result.failed).toBe(true);
      expect(result.numRuns).toBe(200);
      expect(new Set(result.counterexample!.gaps.map((g) => g.cause))).toEqual(new Set([cause]));
      expect(result.replay).toBe(
        `npx trailcheck fuzz --logging ${file} --seed ${SEED} --path ${result.path} --runs 200`,
      );
      const replayed = checkProperties(config, profile, { ...options, path: result.path! });
      expect(replayed.failed).toBe(true);
      expect(replayed.counterexample!.run.records).toEqual(result.counterexample!.run.records);
      expect(replayed.counterexample!.gaps).toEqual(result.counterexample!.gaps);
    },
  );

  it("holds on the passing example", async () => {
    const { config, profile, auditAfterNs } = await load("passing.yaml");
    const result = checkProperties(config, profile, { seed: SEED, auditAfterNs });
    expect(result.failed).toBe(false);
    expect(result.runs).toBe(200);
    expect(result.probabilities.every((p) => p.exact === 1 && (p.observed ?? 1) === 1)).toBe(true);
  });

  it("names the property each gap breaks", async () => {
    const broken = async (file: string) => {
      const { config, profile, auditAfterNs } = await load(file);
      const r = checkProperties(config, profile, { seed: SEED, auditAfterNs, probabilities: false });
      return r.counterexample!.violations.map((v) => v.property);
    };
    expect(await broken("filter.yaml")).toContain("tool-calls-accounted");
    expect(await broken("correlation.yaml")).toContain("correlation");
    expect(await broken("retention.yaml")).toContain("retention");
    expect(await broken("integrity.yaml")).toEqual(["integrity"]);
    expect(await broken("truncation.yaml")).toEqual(["required-facts"]);
  });

  it("checks only the properties asked for", async () => {
    const { config, profile, auditAfterNs } = await load("retention.yaml");
    const only = (properties: ("integrity" | "retention")[]) =>
      checkProperties(config, profile, {
        seed: SEED,
        auditAfterNs,
        properties,
        probabilities: false,
        numRuns: 50,
      });
    expect(only(["integrity"]).failed).toBe(false);
    expect(only(["retention"]).failed).toBe(true);
  });
});
