import { describe, expect, it } from "vitest";
import { parseLoggingConfig } from "../../config/logging.js";
import { span } from "../../testing/records.js";
import { simulate } from "../simulate.js";

/**
 * The attribute policies' settings decoded as the collector decodes them: mapstructure with
 * WeaklyTypedInput false (confmap/internal/decoder.go). A string field takes only a string and a bool
 * field only a bool — `values: [5]` or `value: "yes"` stop the collector from starting, so trailcheck
 * refuses them (exit 2) rather than judge a config that never runs; an int64 bound takes a float
 * truncated toward zero (mapstructure decodeInt: `int64(dataVal.Float())`).
 */
const config = (policy: string) =>
  `streams: [{ name: all, match: { default: true }, processors: [ { tail_sampling: { decision_wait: 1s, policies: [ ${policy} ] } } ] }]`;

describe("tail_sampling attribute policy settings", () => {
  it.each([
    [
      "{ name: s, type: string_attribute, string_attribute: { key: k, values: [a, 5] } }",
      "'values[1]' expected type 'string', got unconvertible type 'int', value: '5'",
    ],
    [
      "{ name: s, type: string_attribute, string_attribute: { key: 7, values: [a] } }",
      "'key' expected type 'string', got unconvertible type 'int'",
    ],
    [
      "{ name: b, type: boolean_attribute, boolean_attribute: { key: k, value: yes } }",
      "'value' expected type 'bool', got unconvertible type 'string', value: 'yes'",
    ],
    [
      "{ name: n, type: numeric_attribute, numeric_attribute: { key: k, min_value: '1' } }",
      "'min_value' expected type 'int64', got unconvertible type 'string'",
    ],
  ])("%s is refused as the collector refuses it", (policy, message) => {
    expect(() => parseLoggingConfig(config(policy))).toThrow(message);
  });

  it("a float bound is truncated toward zero, as the collector decodes it into an int64", () => {
    const kept = (policy: string, n: number) =>
      simulate([span({ attributes: { n } })], parseLoggingConfig(config(policy)), { auditAfterNs: 0n }).stored
        .length > 0;
    // min_value 1.5 is 1: an int 1 is in range.
    expect(
      kept("{ name: n, type: numeric_attribute, numeric_attribute: { key: n, min_value: 1.5 } }", 1),
    ).toBe(true);
    // max_value -1.5 is -1: an int -1 is in range.
    expect(
      kept("{ name: n, type: numeric_attribute, numeric_attribute: { key: n, max_value: -1.5 } }", -1),
    ).toBe(true);
    // min_value 0.5 is 0, which is "not set": with no max either, the collector refuses the policy.
    expect(() =>
      parseLoggingConfig(
        config("{ name: n, type: numeric_attribute, numeric_attribute: { key: n, min_value: 0.5 } }"),
      ),
    ).toThrow(/set min_value or max_value/);
  });
});
