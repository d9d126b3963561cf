import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { processorName } from "../../src/model/processors.js";
import { loadCollectorConfig } from "../../src/otelcol/index.js";

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function load(name: string, env: Record<string, string> = {}) {
  const r = await loadCollectorConfig([here(`${name}.yaml`)], { storage: here(`${name}.storage.yaml`), env });
  return {
    ...r,
    streams: r.config.streams.map((s) => ({
      name: s.name,
      processors: s.processors.map(processorName),
      match: s.match,
      retention: s.retention,
    })),
    unknownAt: r.unknown.map((u) => [u.construct, `${u.location.file?.split("/").pop()}:${u.location.line}`]),
  };
}

describe("examples/otelcol", () => {
  it("gateway: tail sampling (errors + 10%) in front of an OTLP exporter", async () => {
    const r = await load("gateway-tail-sampling");
    expect(r.streams).toEqual([
      {
        name: "traces>otlp/backend",
        processors: ["memory_limiter", "tail_sampling", "batch"],
        match: {},
        retention: "30d",
      },
    ]);
    expect(r.pipelines.map((p) => [p.id, p.modelled, p.streams])).toEqual([
      ["traces", true, ["traces>otlp/backend"]],
      ["metrics", false, []],
    ]);
    expect(r.unknown).toEqual([]);
  });

  it("agent: 10% probabilistic sampling and a narrow redaction allow-list; debug keeps nothing", async () => {
    const r = await load("agent-sampling-redaction");
    const order = ["memory_limiter", "probabilistic_sampler", "redaction", "batch"];
    expect(r.streams).toEqual([
      { name: "traces>otlphttp", processors: order, match: {}, retention: "400d" },
      { name: "traces>debug", processors: order, match: {}, retention: "0s" },
    ]);
    expect(r.config.streams[0]).toMatchObject({ available: "90d", integrity: "hash-chain" });
    expect(r.config.streams[0]!.processors[1]).toEqual({
      probabilistic_sampler: { sampling_percentage: 10, hash_seed: 22 },
    });
  });

  it("routing: GenAI spans to traces/llm, policy spans to a 30-day file, the rest to the default", async () => {
    const r = await load("genai-routing");
    expect(r.streams).toEqual([
      {
        name: "traces>routing>traces/llm>otlphttp/llm",
        processors: ["memory_limiter", "batch", "probabilistic_sampler"],
        match: { ottl: 'attributes["gen_ai.operation.name"] != nil' },
        retention: "90d",
      },
      {
        name: "traces>routing>traces/policy>file/policy",
        processors: ["memory_limiter", "batch"],
        match: {
          ottl: 'attributes["trailcheck.kind"] == "policy" and not (attributes["gen_ai.operation.name"] != nil)',
        },
        retention: "30d",
      },
      {
        name: "traces>routing>traces/default>otlp/default",
        processors: ["memory_limiter", "batch"],
        match: { default: true },
        retention: "400d",
      },
    ]);
    expect(r.config.streams[1]!.correlation).toEqual(["traceId"]);
    expect(r.streams.map((s) => s.name)).toEqual(r.pipelines[0]!.streams);
    expect(r.unknownAt).toEqual([["exporters.file/policy.rotation", "genai-routing.yaml:38"]]);
  });

  it("unsupported constructs are reported with their location, never assumed harmless", async () => {
    const r = await load("unsupported");
    expect(r.streams).toEqual([
      {
        name: "traces>routing>traces/chat>otlp",
        processors: ["memory_limiter", "batch"],
        match: { ottl: 'HasPrefix(name, "chat ")' },
        retention: "180d",
      },
      {
        name: "traces>routing>traces/rest>otlp",
        processors: ["memory_limiter", "batch"],
        match: { default: true },
        retention: "180d",
      },
    ]);
    expect(r.unknownAt).toEqual([
      ["routing.table[0]", "unsupported.yaml:26"],
      ["connectors.spanmetrics", "unsupported.yaml:18"],
      ["processors.groupbytrace", "unsupported.yaml:12"],
    ]);
    expect(r.unknown.every((u) => u.stage === "otelcol")).toBe(true);
  });

  it("a variable with a default is not reported as unset, set or not", async () => {
    const r = await loadCollectorConfig([here("gateway-tail-sampling.yaml")], {
      storage: here("gateway-tail-sampling.storage.yaml"),
      env: { BACKEND_ENDPOINT: "jaeger:4317" },
    });
    expect(r.unknown).toEqual([]);
  });
});
