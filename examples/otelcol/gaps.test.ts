import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRecords } from "../../src/ingest/index.js";
import type { Cause } from "../../src/model/gap.js";
import type { SpanRecord } from "../../src/model/record.js";
import { loadCollectorConfig } from "../../src/otelcol/index.js";
import type { UnknownConstruct } from "../../src/pipeline/index.js";
import { resolveProfile } from "../../src/profiles/resolve.js";
import { checkRecords } from "../../src/reconstruct/check.js";

const here = import.meta.dirname;
const traces = join(here, "..", "traces");
/** Recorded with every fact, in four conventions; the denied runs hold a failed tool call. */
const TRACES = readdirSync(traces).filter(
  (f) => /\.(otlp\.json|jsonl)$/.test(f) && !f.includes("no-outputs"),
);

async function check(name: string) {
  const built = await loadCollectorConfig([join(here, `${name}.yaml`)], {
    storage: join(here, `${name}.storage.yaml`),
  });
  const profile = await resolveProfile(built.config.compliance);
  const causes = new Map<string, Set<Cause>>();
  const unknown: UnknownConstruct[] = [...built.unknown];
  for (const trace of TRACES) {
    const records: SpanRecord[] = [];
    for await (const r of readRecords(join(traces, trace))) records.push(r);
    const { verdicts, view } = checkRecords(records, built.config, profile, { auditAfterNs: 0n });
    causes.set(trace, new Set(verdicts.flatMap((v) => v.gaps.map((g) => g.cause))));
    unknown.push(...view.unknown);
  }
  const all = new Set([...causes.values()].flatMap((s) => [...s]));
  return { causes, all, unknown };
}

describe("realistic collector configs yield their gaps", () => {
  it("a gateway that tail-samples 10% plus errors loses ordinary runs and keeps failed ones", async () => {
    const { causes, all } = await check("gateway-tail-sampling");
    expect([...all]).toEqual(["sampling"]);
    expect([...causes.get("genai-semconv-denied.otlp.json")!]).toEqual([]);
    expect([...causes.get("genai-semconv.otlp.json")!]).toEqual(["sampling"]);
  });

  it("an agent-side collector samples 10% by hash and redacts what survives", async () => {
    const { causes, all } = await check("agent-sampling-redaction");
    expect(all).toEqual(new Set(["sampling", "redaction"]));
    // A trace the hash keeps loses its tool arguments to the allow-list instead.
    expect([...causes.get("openinference-denied.otlp.json")!]).toEqual(["redaction"]);
  });

  it("routing GenAI spans to their own sampled pipeline and policies to a file loses runs and links", async () => {
    const { all } = await check("genai-routing");
    expect(all).toEqual(new Set(["sampling", "correlation"]));
  });

  it("reports unsupported constructs by name and place instead of ignoring them", async () => {
    const { all, unknown } = await check("unsupported");
    expect(all).toEqual(new Set());
    expect(unknown.map((u) => u.construct)).toEqual(
      expect.arrayContaining(["processors.groupbytrace", "connectors.spanmetrics", "routing.table[0]"]),
    );
    const fromConfig = unknown.filter((u) => u.stage === "otelcol");
    expect(fromConfig.length).toBeGreaterThanOrEqual(3);
    expect(fromConfig.every((u) => /unsupported\.yaml:\d+:\d+/.test(u.message))).toBe(true);
  });
});
