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

  it("rejects duplicate stream names and bad regular expressions", () => {
    expect(errorOf("streams: [{ name: a }, { name: a }]")).toMatchInlineSnapshot(
      `"logging.yaml (streams[1].name): stream name 'a' is used twice"`,
    );
    expect(errorOf("streams: [{ name: a, match: { name: '(' } }]")).toMatch(
      /streams\[0\]\.match\.name.*invalid regular expression/,
    );
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
