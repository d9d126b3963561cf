// biome-ignore-all lint/suspicious/noTemplateCurlyInString: collector config text, not templates
import { describe, expect, it } from "vitest";
import { thrownInputError } from "../testing/thrown.js";
import { parseCollectorConfig } from "./index.js";

const routed = (table: string, extra = "") => `
receivers: { otlp: {} }
exporters: { otlp/a: {}, otlp/b: {}, otlp/rest: {} }
connectors:
  routing:
    default_pipelines: [traces/rest]
    table:
${table}
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [routing${extra}] }
    traces/a: { receivers: [routing], exporters: [otlp/a] }
    traces/b: { receivers: [routing], exporters: [otlp/b] }
    traces/rest: { receivers: [routing], exporters: [otlp/rest] }
`;

const storage = {
  exporters: {
    "otlp/a": { retention: "1y" },
    "otlp/b": { retention: "1y" },
    "otlp/rest": { retention: "1y" },
  },
};
const build = (text: string, opts: { storage?: unknown } = { storage }) =>
  parseCollectorConfig([{ text, file: "c.yaml" }], opts);
const matches = (text: string) =>
  Object.fromEntries(build(text).config.streams.map((s) => [s.name, s.match]));

describe("routing conditions become stream matches", () => {
  it("writes equality, name and disjoint routes natively; the default pipeline as default: true", () => {
    const text = routed(`      - context: span
        condition: attributes["openinference.span.kind"] == "LLM"
        pipelines: [traces/a]
      - context: span
        condition: attributes["openinference.span.kind"] == "TOOL" or attributes["openinference.span.kind"] == "AGENT"
        pipelines: [traces/b]`);
    expect(matches(text)).toEqual({
      "traces>routing>traces/a>otlp/a": { attributes: { "openinference.span.kind": "LLM" } },
      "traces>routing>traces/b>otlp/b": { attributes: { "openinference.span.kind": ["TOOL", "AGENT"] } },
      "traces>routing>traces/rest>otlp/rest": { default: true },
    });
    const byName = routed(`      - context: span
        condition: name == "chat gpt-4.1"
        pipelines: [traces/a, traces/b]`);
    expect(Object.values(matches(byName))).toEqual([
      { name: "^chat gpt-4\\.1$" },
      { name: "^chat gpt-4\\.1$" },
      { default: true },
    ]);
  });

  it("keeps the first-match semantics in OTTL where routes overlap", () => {
    const text = routed(`      - context: span
        condition: attributes["gen_ai.operation.name"] != nil
        pipelines: [traces/a]
      - context: span
        statement: route() where attributes["policy.name"] == "refunds"
        pipelines: [traces/b]`);
    expect(matches(text)["traces>routing>traces/b>otlp/b"]).toEqual({
      ottl: 'attributes["policy.name"] == "refunds" and not (attributes["gen_ai.operation.name"] != nil)',
    });
  });

  it("reads the resource context (the default) as resource attributes", () => {
    const text = routed(`      - condition: attributes["service.name"] == "agent"
        pipelines: [traces/a]`);
    expect(matches(text)["traces>routing>traces/a>otlp/a"]).toEqual({
      ottl: 'resource.attributes["service.name"] == "agent"',
    });
  });

  it("writes the default pipeline as a negation when another stream also sees every span", () => {
    const text = routed(
      `      - context: span
        condition: attributes["x"] == "1"
        pipelines: [traces/a]`,
      ", forward",
    )
      .replace("connectors:\n", "connectors:\n  forward:\n")
      .replace(
        "    traces/rest:",
        "    traces/copy: { receivers: [forward], exporters: [otlp/b] }\n    traces/rest:",
      );
    const m = matches(text);
    expect(m["traces>routing>traces/rest>otlp/rest"]).toEqual({ ottl: 'not (attributes["x"] == "1")' });
    expect(m["traces>forward>traces/copy>otlp/b"]).toEqual({});
  });

  it("reports request-context routes and processors that change attributes before the router", () => {
    const text = routed(`      - context: request
        condition: request["X-Tenant"] == "acme"
        pipelines: [traces/a]`)
      .replace(
        "receivers: { otlp: {} }",
        "receivers: { otlp: {} }\nprocessors: { redaction: { allowed_keys: [a] } }",
      )
      .replace("exporters: [routing] }", "processors: [redaction], exporters: [routing] }");
    expect(build(text).unknown.map((u) => u.message)).toMatchInlineSnapshot(`
      [
        "c.yaml:10:9 (connectors.routing.table[0].condition): routes on request metadata (request["X-Tenant"] == "acme"), which recorded spans don't carry; which records take this route is unknown",
        "c.yaml:14:47 (service.pipelines.traces.processors[0]): routing evaluates its conditions after redaction, which may change the attributes they read; trailcheck evaluates them on the spans as emitted",
      ]
    `);
  });
});

describe("storage facts", () => {
  const one = (exporter: string, settings: string) => `
receivers: { otlp: {} }
exporters:
  ${exporter}:
${settings}
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [${exporter}] }
`;

  it("flags an exporter without a storage entry: retention forever, reported as unknown", () => {
    const r = build(one("otlp", "    endpoint: x:4317"), { storage: { exporters: {} } });
    expect(r.config.streams[0]!.retention).toBe("forever");
    expect(r.unknown.map((u) => [u.construct, u.message])).toMatchInlineSnapshot(`
      [
        [
          "exporters.otlp.retention",
          "c.yaml:4:3 (exporters.otlp): retention unknown: the storage file has no retention for exporter "otlp"; treated as forever, so no retention gap is reported for its stream",
        ],
      ]
    `);
  });

  it("bounds retention by the file exporter's rotation.max_days, and reports the volume bound", () => {
    const r = build(one("file", "    path: /tmp/t.jsonl\n    rotation: { max_days: 30, max_backups: 3 }"), {
      storage: { exporters: { file: { retention: "6mo", correlation: ["traceId"] } } },
    });
    expect(r.config.streams[0]).toMatchObject({ retention: "30d", correlation: ["traceId"] });
    expect(r.unknown.map((u) => u.construct)).toEqual(["exporters.file.rotation"]);
  });

  it("reports that a file exporter without append truncates at start", () => {
    const r = build(one("file", "    path: /tmp/t.jsonl"), {
      storage: { exporters: { file: { retention: "30d" } } },
    });
    expect(r.unknown[0]!.message).toContain("truncated whenever the collector starts");
    const appended = build(one("file", "    path: /tmp/t.jsonl\n    append: true"), {
      storage: { exporters: { file: { retention: "30d" } } },
    });
    expect(appended.unknown).toEqual([]);
  });

  it("keeps nothing through debug; an unused storage entry is reported", () => {
    const r = build(one("debug", "    verbosity: detailed"), {
      storage: { exporters: { "otlp/old": { retention: "1y" } } },
    });
    expect(r.config.streams[0]!.retention).toBe("0s");
    expect(r.unknown.map((u) => [u.stage, u.construct])).toEqual([["storage", "storage.exporters.otlp/old"]]);
  });
});

describe("sampler settings flow through exactly as written", () => {
  it("probabilistic_sampler and tail_sampling", () => {
    const text = `
receivers: { otlp: {} }
processors:
  probabilistic_sampler/a:
    sampling_percentage: 0.1
    hash_seed: 4294967295
    mode: hash_seed
  probabilistic_sampler/b:
    sampling_percentage: 33.333
    mode: proportional
    sampling_precision: 14
    fail_closed: false
  tail_sampling:
    decision_wait: 30s
    num_traces: 100
    policies:
      - { name: err, type: status_code, status_code: { status_codes: [ERROR] } }
      - { name: p, type: probabilistic, probabilistic: { hash_salt: "s1", sampling_percentage: 12.5 } }
      - { name: drop-health, type: drop, drop: { drop_sub_policy: [{ name: h, type: string_attribute, string_attribute: { key: http.route, values: [/health] } }] } }
exporters: { otlp: {} }
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [probabilistic_sampler/a, probabilistic_sampler/b, tail_sampling]
      exporters: [otlp]
`;
    const [stream] = build(text, { storage: { exporters: { otlp: { retention: "1y" } } } }).config.streams;
    expect(stream!.processors).toEqual([
      { probabilistic_sampler: { sampling_percentage: 0.1, hash_seed: 4294967295, mode: "hash_seed" } },
      {
        probabilistic_sampler: {
          sampling_percentage: 33.333,
          mode: "proportional",
          sampling_precision: 14,
          fail_closed: false,
        },
      },
      {
        tail_sampling: {
          decision_wait: "30s",
          num_traces: 100,
          policies: [
            { name: "err", type: "status_code", status_code: { status_codes: ["ERROR"] } },
            {
              name: "p",
              type: "probabilistic",
              probabilistic: { hash_salt: "s1", sampling_percentage: 12.5 },
            },
            {
              name: "drop-health",
              type: "drop",
              drop: {
                drop_sub_policy: [
                  {
                    name: "h",
                    type: "string_attribute",
                    string_attribute: { key: "http.route", values: ["/health"] },
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
  });
});

describe("settings the collector refuses at start-up", () => {
  it("names the file and line of a pattern Go's regexp refuses, in a processor or a routing table", () => {
    const processor = `
receivers: { otlp: {} }
processors:
  redaction/pii:
    allow_all_keys: true
    blocked_values:
      - '\\d{16}'
      - '(?<=card=)\\d+'
exporters: { otlp: {} }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [redaction/pii], exporters: [otlp] }
`;
    const refused = thrownInputError(() =>
      build(processor, { storage: { exporters: { otlp: { retention: "1y" } } } }),
    );
    expect(refused.code).toBe("bad-otelcol-config");
    expect(refused.location).toMatchObject({
      file: "c.yaml",
      line: 8,
      field: "processors.redaction/pii.blocked_values[1]",
    });
    expect(refused.message).toMatch(
      /processors::redaction\/pii: invalid regular expression .*no lookahead or lookbehind/,
    );

    const route = routed(`      - context: span
        condition: IsMatch(name, "(chat)\\\\1")
        pipelines: [traces/a]`);
    const unrouted = thrownInputError(() => build(route));
    expect(unrouted.location).toMatchObject({ file: "c.yaml", line: 9 });
    expect(unrouted.message).toMatch(/connectors::routing: .*no backreferences/);
  });
});

describe("a failover connector", () => {
  // failoverconnector standard_mode.go consumeByHealthyPipeline: spans go to the first priority level
  // (fanned out to its pipelines) while it takes them; a later level only after that one fails.
  const failover = (levels: string) => `
receivers: { otlp: {} }
exporters: { otlp/a: {}, otlp/b: {}, otlp/rest: {} }
connectors:
  failover: ${levels}
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [failover] }
    traces/a: { receivers: [failover], exporters: [otlp/a] }
    traces/b: { receivers: [failover], exporters: [otlp/b] }
    traces/rest: { receivers: [failover], exporters: [otlp/rest] }
`;

  it("stores through its first priority level only, not every level at once", () => {
    const result = build(failover("{ priority_levels: [[traces/a, traces/b], [traces/rest]] }"));
    expect(result.config.streams.map((s) => s.name)).toEqual([
      "traces>failover>traces/a>otlp/a",
      "traces>failover>traces/b>otlp/b",
    ]);
    expect(result.unknown).toEqual([]);
  });

  it("without priority levels is refused, as the collector refuses to start", () => {
    const err = thrownInputError(() => build(failover("{}")));
    expect(err.message).toMatch(/connectors::failover: No pipelines are defined in the priority list/);
  });
});
