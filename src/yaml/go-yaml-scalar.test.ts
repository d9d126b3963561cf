import { describe, expect, it } from "vitest";
import { parseCollectorConfig } from "../otelcol/index.js";
import { thrownInputError } from "../testing/thrown.js";
import { type GoScalar, goYamlScalar } from "./go-yaml-scalar.js";

/** yaml.v3's resolve.go / decode.go, which the collector reads its config with, case by case. */
describe("goYamlScalar reads a scalar as yaml.v3 decodes it into any", () => {
  const plain = (text: string) => goYamlScalar(text, false);
  const int = (n: bigint): GoScalar => ({ kind: "int", value: n });
  const float = (n: number): GoScalar => ({ kind: "float", value: n });
  const str = (s: string): GoScalar => ({ kind: "str", value: s });

  it.each([
    ["5", int(5n)],
    ["+5", int(5n)],
    ["017", int(15n)], // YAML 1.1 octal, still read (ParseInt base 0)
    ["0o17", int(15n)],
    ["0x1F", int(31n)],
    ["0b101", int(5n)],
    ["1_000", int(1000n)], // underscores dropped
    ["9223372036854775807", int(9223372036854775807n)],
    ["18446744073709551615", int(18446744073709551615n)], // ParseUint
    ["5.0", float(5)],
    ["5.", float(5)],
    [".5", float(0.5)],
    ["1e3", float(1000)],
    ["08", float(8)], // not octal: ParseInt fails, yamlStyleFloat matches
    ["99999999999999999999", float(1e20)],
    [".inf", float(Number.POSITIVE_INFINITY)],
    ["-.Inf", float(Number.NEGATIVE_INFINITY)],
    ["1e400", str("1e400")], // ParseFloat out of range: the text
    ["yes", str("yes")],
    ["on", str("on")],
    ["True", { kind: "bool", value: true }],
    ["~", { kind: "null" }],
    ["", { kind: "null" }],
    ["2001-12-14", str("2001-12-14")], // a timestamp decoded into any stays its text
    ["0x", str("0x")],
    ["-", str("-")],
  ])("%s", (text, want) => {
    expect(plain(text)).toEqual(want);
  });

  it("quoted text is a string; tags decide as yaml.v3 does", () => {
    expect(goYamlScalar("5.0", true)).toEqual(str("5.0"));
    expect(goYamlScalar("5", true, "tag:yaml.org,2002:int")).toEqual(int(5n));
    expect(goYamlScalar("5", false, "tag:yaml.org,2002:float")).toEqual(float(5));
    expect(goYamlScalar("5", false, "tag:yaml.org,2002:str")).toEqual(str("5"));
    expect(goYamlScalar("aGVsbG8=", false, "tag:yaml.org,2002:binary")).toEqual(str("hello"));
    expect(goYamlScalar("5", false, "!custom")).toEqual(str("5"));
    expect(() => goYamlScalar("5.5", false, "tag:yaml.org,2002:int")).toThrow(
      "cannot decode !!float `5.5` as a !!int",
    );
    expect(() => goYamlScalar("==", false, "tag:yaml.org,2002:binary")).toThrow(/invalid base64/);
  });
});

describe("a collector config is read with yaml.v3's rules", () => {
  const BASE = (processors: string) => `
receivers: { otlp: { protocols: { grpc: {} } } }
processors:
${processors}
exporters: { otlp: { endpoint: a:4317 } }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [probabilistic_sampler/a, probabilistic_sampler/b], exporters: [otlp] }
`;
  const load = (processors: string) =>
    parseCollectorConfig([{ text: BASE(processors), file: "c.yaml" }], {
      storage: { exporters: { otlp: { retention: "30d" } } },
    }).config.streams[0]!.processors;

  it("a merge key `<<` merges the anchored map; the mapping's own keys win", () => {
    const processors = load(`
  probabilistic_sampler/a: &base
    sampling_percentage: 017
    hash_seed: 7
  probabilistic_sampler/b:
    <<: *base
    hash_seed: 1_000
`);
    expect(processors).toEqual([
      { probabilistic_sampler: expect.objectContaining({ sampling_percentage: 15, hash_seed: 7 }) },
      { probabilistic_sampler: expect.objectContaining({ sampling_percentage: 15, hash_seed: 1000 }) },
    ]);
  });

  it("a scalar yaml.v3 refuses is bad YAML (exit 2) wherever it is, the whole document too", () => {
    for (const text of ["!!binary ==\n", "receivers: !!int 5.5\n"]) {
      const err = thrownInputError(() => parseCollectorConfig([{ text, file: "c.yaml" }]));
      expect(err.code).toBe("bad-yaml");
    }
  });

  it("a merge of something other than a map is refused, as the collector refuses to start", () => {
    expect(() =>
      load(`
  probabilistic_sampler/a: { sampling_percentage: 10 }
  probabilistic_sampler/b:
    <<: 5
`),
    ).toThrow(/map merge requires map or sequence of maps/);
  });
});
