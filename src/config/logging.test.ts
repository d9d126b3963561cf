import { describe, expect, it } from "vitest";
import { thrownInputError } from "../testing/thrown.js";
import { parseLoggingConfig } from "./logging.js";

function errorOf(yaml: string): string {
  return thrownInputError(() => parseLoggingConfig(yaml, "logging.yaml")).message;
}

describe("parseLoggingConfig", () => {
  it("names the file, line and column of a YAML syntax error", () => {
    expect(errorOf("streams:\n  - name: a\n    match: { kind: [llm]\n")).toMatchInlineSnapshot(
      `"logging.yaml:4:1: Flow map in block collection must be sufficiently indented and end with a }"`,
    );
  });

  it("names the field and its line for a schema error", () => {
    expect(errorOf("streams:\n  - name: a\n    retention: 5 days\n")).toMatchInlineSnapshot(
      `"logging.yaml:3:16 (streams[0].retention): expected a duration such as 30d, 6mo, 1y, 12h or 30s (or 'forever')"`,
    );
    expect(errorOf("streams:\n  - name: a\n    processors:\n      - sampler: {}\n")).toMatch(
      /^logging\.yaml:4:\d+ \(streams\[0\]\.processors\[0\]\)/,
    );
  });

  it("says what is wrong inside a processor entry, not only that the entry is invalid", () => {
    const entry = (processor: string) =>
      errorOf(`streams:\n  - name: a\n    processors:\n      - ${processor}\n`);
    expect(entry("tail_samplng: { decision_wait: 10s }")).toBe(
      "logging.yaml:4:9 (streams[0].processors[0]): unknown key 'tail_samplng': expected one of probabilistic_sampler, tail_sampling, redaction, attributes, filter, transform, memory_limiter, batch",
    );
    expect(entry("tail_sampling: { decision_wait: 10 }")).toBe(
      "logging.yaml:4:41 (streams[0].processors[0].tail_sampling.decision_wait): Invalid input: expected string, received number",
    );
    expect(entry("redaction: { allow_all_keys: yes }")).toBe(
      "logging.yaml:4:38 (streams[0].processors[0].redaction.allow_all_keys): Invalid input: expected boolean, received string",
    );
    expect(entry("tail_sampling: { policies: [{ name: a, type: nope }] }")).toMatch(
      /^logging\.yaml:4:\d+ \(streams\[0\]\.processors\[0\]\.tail_sampling\.policies\[0\]\.type\): Invalid option: expected one of "always_sample"/,
    );
    expect(entry("{ batch: {}, filter: {} }")).toBe(
      "logging.yaml:4:9 (streams[0].processors[0]): 'batch', 'filter' cannot stand together here: each belongs to a different alternative",
    );
    expect(entry("batch")).toBe(
      "logging.yaml:4:9 (streams[0].processors[0]): Invalid input: expected object, received string",
    );
  });

  it("rejects duplicate stream names and bad regular expressions", () => {
    expect(errorOf("streams: [{ name: a }, { name: a }]")).toMatchInlineSnapshot(
      `"logging.yaml:1:32 (streams[1].name): stream name 'a' is used twice"`,
    );
    expect(errorOf("streams: [{ name: a, match: { name: '(' } }]")).toMatch(
      /streams\[0\]\.match\.name.*invalid regular expression/,
    );
  });

  it("refuses, where it is written, every pattern Go's regexp refuses (the collector would not start)", () => {
    const stream = (processor: string) => `streams:\n  - name: a\n    processors:\n      - ${processor}\n`;
    expect(
      errorOf(stream("redaction: { allow_all_keys: true, blocked_values: ['x', '(?<=k)v'] }")),
    ).toMatchInlineSnapshot(
      `"logging.yaml:4:66 (streams[0].processors[0].redaction.blocked_values[1]): invalid regular expression "(?<=k)v": error parsing regexp: invalid named capture: \`(?<=k)v\` (Go's RE2 syntax has no lookahead or lookbehind; the collector refuses this pattern)"`,
    );
    expect(errorOf(stream(`filter: { traces: { span: ['IsMatch(name, "(a)\\\\1")'] } }`))).toMatch(
      /^logging\.yaml:4:\d+ \(streams\[0\]\.processors\[0\]\.filter\.traces\.span\[0\]\): .*column 15: IsMatch: invalid regular expression.*no backreferences/,
    );
    expect(
      errorOf(stream(`transform: { trace_statements: ['replace_pattern(attributes["k"], "(?=x)", "y")'] }`)),
    ).toMatch(/^logging\.yaml:4:\d+ \(streams\[0\]\.processors\[0\]\.transform\.trace_statements\[0\]\)/);
    expect(errorOf("streams: [{ name: a, match: { name: '(?<!x)y' } }]")).toMatch(
      /^logging\.yaml:1:\d+ \(streams\[0\]\.match\.name\): invalid regular expression/,
    );
    expect(errorOf(`streams: [{ name: a, match: { ottl: 'IsMatch(name, "\\\\C")' } }]`)).toMatch(
      /^logging\.yaml:1:\d+ \(streams\[0\]\.match\.ottl\): .*invalid escape sequence/,
    );
  });

  it("refuses, where it is written, OTTL the collector cannot parse; OTTL outside the subset stays unknown", () => {
    const filter = (condition: string) =>
      `streams:\n  - name: a\n    processors:\n      - filter:\n          traces:\n            span:\n              - 'name == "ok"'\n              - '${condition}'\n`;
    expect(errorOf(filter('name == "x'))).toMatchInlineSnapshot(
      `"logging.yaml:8:17 (streams[0].processors[0].filter.traces.span[1]): column 9: unterminated string in "name == "x""`,
    );
    expect(errorOf(filter('attributes["k"] == "v" and'))).toMatch(
      /^logging\.yaml:8:\d+ \(streams\[0\]\.processors\[0\]\.filter\.traces\.span\[1\]\): .*column 27: expected a value, found end of input/,
    );
    expect(errorOf(filter('IsMatch(name, "x"'))).toMatch(/column 8: "\(" is never closed/);
    expect(errorOf(filter('name == "a" && kind == 2'))).toMatch(/column 13: unexpected character "&"/);
    const transform = `streams:\n  - name: a\n    processors:\n      - transform: { trace_statements: ['set(name, "x") where ) name'] }\n`;
    expect(errorOf(transform)).toMatch(
      /^logging\.yaml:4:\d+ \(streams\[0\]\.processors\[0\]\.transform\.trace_statements\[0\]\): .*unmatched "\)"/,
    );
    expect(errorOf("streams: [{ name: a, match: { ottl: 'name ==' } }]")).toMatch(
      /^logging\.yaml:1:\d+ \(streams\[0\]\.match\.ottl\): .*expected a value, found end of input/,
    );
    // Valid OTTL that trailcheck does not model (math, other converters) is not refused.
    expect(() => parseLoggingConfig(filter('attributes["a"] + 1 == 2'))).not.toThrow();
    expect(() => parseLoggingConfig(filter('Concat([name, "x"], "") == "a"'))).not.toThrow();
  });

  it("fills the collector's defaults", () => {
    const config = parseLoggingConfig("streams: [{ name: a }]");
    expect(config.streams[0]).toMatchObject({
      retention: "forever",
      correlation: ["traceId", "spanId", "parentSpanId"],
      integrity: "none",
    });
  });
});
