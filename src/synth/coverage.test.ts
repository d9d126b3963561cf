import { describe, expect, it } from "vitest";
import { loadExample as load } from "../../examples/logging/causes.js";
import { LoggingConfigSchema } from "../model/logging-config.js";
import { checkProperties } from "./properties.js";

// A filter whose conditions read what only the user's own runs carry drops none of the generated
// runs: every property holds, and "no counterexample" must not read as "this config keeps everything".
const PRODUCTION_ONLY = {
  filter: {
    error_mode: "ignore",
    traces: { span: ['resource.attributes["deployment.environment"] == "production"'] },
  },
};

describe("filters the generated runs never set off", () => {
  it("are named when every property holds", async () => {
    const { config, profile, auditAfterNs } = await load("passing.yaml");
    const dropsProduction = LoggingConfigSchema.parse({
      ...config,
      streams: config.streams.map((s) =>
        s.name === "actions" ? { ...s, processors: [...s.processors, PRODUCTION_ONLY] } : s,
      ),
    });
    const result = checkProperties(dropsProduction, profile, { seed: 1, numRuns: 50, auditAfterNs });
    expect(result.failed).toBe(false);
    expect(result.unexercised).toEqual(["actions/filter[1]"]);
  });

  it("are not named when a filter dropped something, nor for a config without filters", async () => {
    const filter = await load("filter.yaml");
    const dropsTools = checkProperties(filter.config, filter.profile, {
      seed: 1,
      numRuns: 50,
      auditAfterNs: filter.auditAfterNs,
      probabilities: false,
    });
    expect(dropsTools.failed).toBe(true);
    expect(dropsTools.unexercised).toEqual([]);
    const passing = await load("passing.yaml");
    const none = checkProperties(passing.config, passing.profile, {
      seed: 1,
      numRuns: 20,
      auditAfterNs: passing.auditAfterNs,
    });
    expect(none.unexercised).toEqual([]);
  });
});
