// biome-ignore-all lint/suspicious/noTemplateCurlyInString: collector config text, not templates
import { describe, expect, it } from "vitest";
import { parseCollectorConfig } from "./index.js";

const BASE = `
receivers:
  otlp:
    protocols: { grpc: {} }
processors:
  batch:
  probabilistic_sampler:
    sampling_percentage: 10
exporters:
  otlp:
    endpoint: a:4317
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [probabilistic_sampler, batch]
      exporters: [otlp]
`;

const load = (...texts: string[]) =>
  parseCollectorConfig(
    texts.map((text, i) => ({ text, file: `c${i}.yaml` })),
    { storage: { exporters: { otlp: { retention: "30d" } } } },
  );

function rejection(text: string): string {
  try {
    load(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("merging config files", () => {
  it("merges maps key by key, later files win, lists are replaced", () => {
    const over = `
processors:
  probabilistic_sampler:
    hash_seed: 7
service:
  pipelines:
    traces:
      processors: [batch]
`;
    const r = load(BASE, over);
    expect(r.config.streams.map((s) => s.processors)).toEqual([[{ batch: {} }]]);
    const both = load(
      BASE,
      `processors:\n  probabilistic_sampler:\n    hash_seed: 7\n    sampling_percentage: 50\n`,
    );
    expect(both.config.streams[0]!.processors[0]).toEqual({
      probabilistic_sampler: { sampling_percentage: 50, hash_seed: 7 },
    });
  });

  it("locates values in the file that last defined them", () => {
    const r = load(BASE, "service:\n  pipelines:\n    traces:\n      processors: [batch]\n");
    expect(r.pipelines[0]!.location).toMatchObject({ file: "c1.yaml", line: 3 });
    expect(r.pipelines[0]!.processors).toEqual(["batch"]);
  });

  it("nests keys written with the :: separator", () => {
    const r = load(BASE, "service::pipelines::traces::processors: [probabilistic_sampler]\n");
    expect(r.pipelines[0]!.processors).toEqual(["probabilistic_sampler"]);
    expect(r.pipelines[0]!.exporters).toEqual(["otlp"]);
  });

  it("expands variables after merging, in values only", () => {
    const r = parseCollectorConfig(
      [
        { text: BASE, file: "a.yaml" },
        {
          text: "processors:\n  probabilistic_sampler:\n    sampling_percentage: ${env:PCT}\n",
          file: "b.yaml",
        },
      ],
      { env: { PCT: "12.5" }, storage: { exporters: { otlp: { retention: "30d" } } } },
    );
    expect(r.config.streams[0]!.processors[0]).toEqual({
      probabilistic_sampler: { sampling_percentage: 12.5 },
    });
  });
});

describe("configs the collector rejects", () => {
  it("a pipeline referencing an undefined receiver, processor or exporter", () => {
    expect(rejection(BASE.replace("receivers: [otlp]", "receivers: [otlp, zipkin]"))).toMatchInlineSnapshot(
      `"c0.yaml:15:25 (service.pipelines.traces.receivers[1]): service::pipelines::traces: references receiver "zipkin" which is not configured"`,
    );
    expect(
      rejection(BASE.replace("[probabilistic_sampler, batch]", "[memory_limiter, batch]")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:16:20 (service.pipelines.traces.processors[0]): service::pipelines::traces: references processor "memory_limiter" which is not configured"`,
    );
    expect(rejection(BASE.replace("exporters: [otlp]", "exporters: [otlphttp]"))).toMatchInlineSnapshot(
      `"c0.yaml:17:19 (service.pipelines.traces.exporters[0]): service::pipelines::traces: references exporter "otlphttp" which is not configured"`,
    );
  });

  it("a processor listed twice", () => {
    expect(rejection(BASE.replace("[probabilistic_sampler, batch]", "[batch, batch]"))).toMatchInlineSnapshot(
      `"c0.yaml:16:27 (service.pipelines.traces.processors[1]): service::pipelines::traces: references processor "batch" multiple times"`,
    );
  });

  it("a pipeline without receivers or exporters", () => {
    expect(rejection(BASE.replace("receivers: [otlp]", "receivers: []"))).toMatchInlineSnapshot(
      `"c0.yaml:14:5 (service.pipelines.traces): service::pipelines::traces: must have at least one receiver"`,
    );
    expect(rejection(BASE.replace("      exporters: [otlp]\n", ""))).toMatchInlineSnapshot(
      `"c0.yaml:14:5 (service.pipelines.traces): service::pipelines::traces: must have at least one exporter"`,
    );
  });

  it("no pipelines, an unknown signal, an unknown top-level key", () => {
    expect(rejection("receivers:\n  otlp:\nservice:\n  extensions: []\n")).toMatchInlineSnapshot(
      `"c0.yaml:3:1 (service): service must have at least one pipeline"`,
    );
    expect(rejection(BASE.replace("    traces:\n", "    spans:\n"))).toMatchInlineSnapshot(
      `"c0.yaml:14:5 (service.pipelines.spans): service::pipelines::spans: unknown signal "spans" (a pipeline id is traces, metrics, logs or profiles, optionally followed by /name)"`,
    );
    expect(rejection(`${BASE}telemetry: {}\n`)).toMatchInlineSnapshot(
      `"c0.yaml:18:1 (telemetry): '' has invalid keys: telemetry"`,
    );
  });

  it("a component type in a section it can't belong to", () => {
    expect(rejection(BASE.replace("  batch:\n", "  batch:\n  otlp:\n"))).toMatchInlineSnapshot(
      `"c0.yaml:7:3 (processors.otlp): processors::otlp: unknown type: "otlp" for id: "otlp" ("otlp" is one of the receivers, not of the processors)"`,
    );
  });

  it("an invalid component id and an undefined extension", () => {
    expect(rejection(BASE.replace("  batch:\n", "  batch/:\n"))).toMatchInlineSnapshot(
      `"c0.yaml:6:3 (processors.batch/): invalid processor id "batch/": the name after "/" must be non-empty and hold no spaces"`,
    );
    expect(
      rejection(BASE.replace("service:\n", "service:\n  extensions: [health_check]\n")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:13:16 (service.extensions[0]): service::extensions: references extension "health_check" which is not configured"`,
    );
  });

  it("processor settings of the wrong type", () => {
    expect(
      rejection(BASE.replace("sampling_percentage: 10", "sampling_percentage: ten")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:8:5 (processors.probabilistic_sampler.sampling_percentage): processors::probabilistic_sampler: Invalid input: expected number, received string"`,
    );
  });

  const ROUTED = `
receivers: { otlp: {} }
exporters: { otlp/a: {}, otlp/b: {} }
connectors:
  routing:
    table:
      - condition: attributes["x"] == "1"
        pipelines: [traces/a]
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [routing] }
    traces/a: { receivers: [routing], exporters: [otlp/a] }
`;

  it("connectors used on one side only, and cycles", () => {
    expect(
      rejection(ROUTED.replace("traces/a: { receivers: [routing]", "traces/a: { receivers: [otlp]")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:5:3 (connectors.routing): connector "routing" used as exporter in traces pipeline but not used in any supported receiver pipeline"`,
    );
    const cycle = `
receivers: { otlp: {} }
exporters: { otlp: {} }
connectors: { forward/a: {}, forward/b: {} }
service:
  pipelines:
    traces: { receivers: [otlp, forward/b], exporters: [forward/a] }
    traces/b: { receivers: [forward/a], exporters: [forward/b, otlp] }
`;
    expect(rejection(cycle)).toMatchInlineSnapshot(
      `"c0.yaml:7:5 (service.pipelines.traces): cycle detected: traces -> traces/b -> traces"`,
    );
  });

  it("routing tables the routing connector's Validate rejects", () => {
    expect(
      rejection(ROUTED.replace(/ {4}table:[\s\S]*?traces\/a\]\n/, "    table: []\n")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:5:3 (connectors.routing): connectors::routing: invalid routing table: the routing table is empty"`,
    );
    expect(rejection(ROUTED.replace("pipelines: [traces/a]", "pipelines: []"))).toMatchInlineSnapshot(
      `"c0.yaml:7:9 (connectors.routing.table[0]): connectors::routing: invalid route: no pipelines defined"`,
    );
    expect(
      rejection(ROUTED.replace("- condition:", "- statement: route()\n        condition:")),
    ).toMatchInlineSnapshot(
      `"c0.yaml:7:9 (connectors.routing.table[0]): connectors::routing: invalid route: both condition and statement provided"`,
    );
    expect(rejection(ROUTED.replace("pipelines: [traces/a]", "pipelines: [traces/b]"))).toMatchInlineSnapshot(
      `"c0.yaml:8:21 (connectors.routing.table[0].pipelines[0]): connectors::routing: pipeline "traces/b" does not list this connector among its receivers"`,
    );
  });
});
