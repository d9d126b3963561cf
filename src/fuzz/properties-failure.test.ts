import { describe, expect, it } from "vitest";
import { loadExample as load } from "../../examples/logging/causes.js";
import { checkProperties } from "../synth/properties.js";
import { assertProperties, formatPropertiesFailure, PropertiesFailure } from "./properties-failure.js";

const SEED = 1;

describe("formatPropertiesFailure", () => {
  it("reports the minimal run as a timeline with its gaps, seed, path and replay command", async () => {
    const { config, profile, auditAfterNs } = await load("truncation.yaml");
    const result = checkProperties(config, profile, {
      seed: SEED,
      auditAfterNs,
      convention: "ai-sdk",
      probabilities: false,
      source: ["--logging", "examples/logging/truncation.yaml"],
    });
    const report = formatPropertiesFailure(result)
      .replace(/--path [\d:]+/, "--path P")
      .replace(/path [\d:]+$/m, "path P");
    expect(report).toMatchInlineSnapshot(`
      "1 property broken after 1 run(s), shrunk 51 times:
        ✗ required facts present (required-facts): 1 gap(s)

      minimal run:
        run 00000000000000000000000000000001 · ai-sdk · 2 span(s) over 0.004s
          +0.000s   agent   support                      span cded5c00  root
          +0.001s   llm     gpt-4o                       span 9efd1c48  parent cded5c00  output 65 chars

      gaps (1):
        medium   truncation      llm:gpt-4o.output  @ all/transform[0]
                 llm 'gpt-4o' (span 9efd1c48da9cabb5): output ('ai.response.text') was truncated — transform truncate_all to 64 bytes cut a value of 65 characters
                 fix: raise the value length limit for 'ai.response.text' (SDK attribute_value_length_limit, transform truncate_all, backend max_value_length) or store large payloads by reference

      seed 1 · path P
      replay: npx trailcheck fuzz --logging examples/logging/truncation.yaml --seed 1 --path P --runs 200 --convention ai-sdk"
    `);
    expect(() =>
      assertProperties(config, profile, {
        seed: SEED,
        auditAfterNs,
        convention: "ai-sdk",
        probabilities: false,
      }),
    ).toThrow(PropertiesFailure);
  });
});
