// The example report: the real engine on the recorded traces in examples/traces against two logging
// configs in examples/logging. The browser test renders it and docs/report-example.png shows it.
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { analyzeConfig } from "../analyze/analyze.js";
import { loadLoggingConfig } from "../config/logging.js";
import { readRecords } from "../ingest/index.js";
import { durationNanos } from "../model/duration.js";
import type { SpanRecord } from "../model/record.js";
import { resolveProfile } from "../profiles/resolve.js";
import { checkRecords } from "../reconstruct/check.js";
import { assembleResults } from "../report/assemble.js";
import { type ResultInput, type ResultMeta, recordResult } from "../report/meta.js";
import type { Results, TestEntry } from "../report/results.js";

const ROOT = join(import.meta.dirname, "..", "..");
export const EXAMPLE_CONFIGS = ["passing", "sampling"] as const;

/** Span content an attacker controls: it must render as text in every report. */
export const HOSTILE = {
  script: "<script>alert(1)</script>",
  img: "<img src=x onerror=alert(1)>",
  url: "javascript:alert(1)",
} as const;

function entry(meta: ResultMeta, file: string, failures: string[] = []): TestEntry {
  const gaps = meta.verdicts.reduce((n, v) => n + v.gaps.length, 0);
  return {
    id: `${meta.kind}:${meta.id}`,
    name: `${meta.kind === "check" ? "config checks" : "incidents"} > ${meta.id} ${meta.title}`,
    file,
    state: gaps > 0 || failures.length > 0 ? "failed" : "passed",
    durationMs: 1,
    kind: meta.kind,
    failures,
    result: meta,
  };
}

const record = (input: ResultInput): ResultMeta => recordResult({ meta: {} }, input);

/** Tool names, arguments and results replaced by hostile markup (a script, an event handler, a `javascript:` link). */
export function hostileRecords(records: readonly SpanRecord[]): SpanRecord[] {
  return records.map((r) => {
    if (r.kind !== "tool") return r;
    const attributes = { ...r.attributes };
    for (const key of Object.keys(attributes)) {
      if (key.endsWith(".name")) attributes[key] = HOSTILE.script;
      if (key.endsWith(".args") || key.endsWith(".arguments")) attributes[key] = HOSTILE.img;
      if (key.endsWith(".result")) attributes[key] = `<a href="${HOSTILE.url}">refund status</a>`;
    }
    return { ...r, name: `${HOSTILE.script} ${HOSTILE.url}`, attributes };
  });
}

async function readAll(file: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const r of readRecords(file)) out.push(r);
  return out;
}

/**
 * The tests of the example suite against one config: every recorded trace as an incident and each
 * stream's config check. `tag` ids them apart when several configs share one report (`ai-sdk-v6@sampling`);
 * without it the ids are the same whatever the config, as a baseline comparison needs.
 */
async function configTests(
  name: string,
  options: { hostile?: boolean; tag?: boolean },
): Promise<TestEntry[]> {
  const traceDir = join(ROOT, "examples", "traces");
  const traces = (await readdir(traceDir)).filter((f) => /\.(json|jsonl)$/.test(f)).sort();
  const suffix = options.tag ? `@${name}` : "";
  const tests: TestEntry[] = [];
  const file = join(ROOT, "examples", "logging", `${name}.yaml`);
  const config = await loadLoggingConfig(file);
  const profile = await resolveProfile(config.compliance, file);
  const auditAfter = profile.retention.minimum ?? "0s";
  const auditAfterNs = durationNanos(auditAfter) ?? 0n;
  const runs: { id: string; records: SpanRecord[]; source?: string }[] = [];
  for (const trace of traces) {
    runs.push({
      id: basename(trace).replace(/\.(otlp\.)?jsonl?$/, ""),
      records: await readAll(join(traceDir, trace)),
      source: `examples/traces/${trace}`,
    });
  }
  if (options.hostile) {
    runs.push({
      id: "hostile-span-content",
      records: hostileRecords(runs.find((r) => r.id === "ai-sdk-v6")!.records),
    });
  }
  for (const run of runs) {
    const result = checkRecords(run.records, config, profile, { auditAfterNs });
    const meta = record({
      kind: "incident",
      id: `${run.id}${suffix}`,
      title: `${run.id} through examples/logging/${name}.yaml`,
      tags: [name],
      verdicts: result.verdicts,
      comparisons: result.comparisons,
      records: run.records,
      ...(run.source ? { source: run.source } : {}),
      profile: profile.name,
      auditAfter,
    });
    tests.push(entry(meta, "suites/incidents.test.ts"));
  }
  const analysis = analyzeConfig(config, profile);
  for (const s of analysis.streams) {
    const gaps = analysis.gaps.filter((g) => (g.stream ?? g.stage.split("/")[0]) === s.name);
    const stream = options.tag ? `${name}/${s.name}` : s.name;
    const meta = record({
      kind: "check",
      id: `config:${stream}`,
      title: `stream '${s.name}' of ${name}.yaml keeps what '${analysis.profile}' requires`,
      verdicts: [{ traceId: "*", reconstructable: gaps.length === 0, gaps }],
      probabilities: analysis.probabilities
        .filter((p) => p.stream === s.name)
        .map((p) => ({ ...p, stream: options.tag ? `${name}/${p.stream}` : p.stream })),
      retention: [{ stream, profile: analysis.profile, ...s }],
    });
    tests.push(entry(meta, "suites/config-checks.test.ts"));
  }
  return tests;
}

const ENVIRONMENT: Results["environment"] = {
  trailcheck: "0.1.0",
  node: process.version,
  vitest: "4",
  platform: `${process.platform}-${process.arch}`,
  seed: 1_234_567,
  configFiles: [],
};
const GENERATED_AT = new Date("2026-01-01T00:00:00Z");

/**
 * A pipeline change as a reviewer meets it: the example suite against `examples/logging/sampling.yaml`
 * compared with a baseline run against `examples/logging/filter.yaml` — sampling findings are new,
 * the filter's are fixed, the instrumentation gaps of the recordings are unchanged.
 */
export async function exampleComparison(): Promise<Results> {
  const before = assembleResults({
    tests: await configTests("filter", {}),
    errors: [],
    environment: ENVIRONMENT,
    generatedAt: GENERATED_AT,
  });
  return assembleResults({
    tests: await configTests("sampling", {}),
    errors: [],
    environment: ENVIRONMENT,
    generatedAt: GENERATED_AT,
    baseline: { file: "reports-main/results.json", results: before },
  });
}

/** Results as `trailcheck run` would produce them for the example suite; `hostile` adds a hostile run. */
export async function exampleResults(options: { hostile?: boolean } = {}): Promise<Results> {
  const tests: TestEntry[] = [];
  for (const name of EXAMPLE_CONFIGS) {
    tests.push(...(await configTests(name, { hostile: options.hostile && name === "sampling", tag: true })));
  }
  const property = record({
    kind: "property",
    id: "no-loss",
    title: "a config that keeps everything loses no fact",
    property: {
      seed: 1_234_567,
      path: "17:3:0",
      numRuns: 200,
      replay: "npx trailcheck run --filter no-loss  # TRAILCHECK_SEED=1234567 TRAILCHECK_PATH=17:3:0",
      counterexample:
        '{"convention":"ai-sdk","tools":[{"name":"refund_payment","args":"{\\"amount\\":40}"}]}',
    },
  });
  tests.push(entry(property, "suites/properties.test.ts"));
  return assembleResults({ tests, errors: [], environment: ENVIRONMENT, generatedAt: GENERATED_AT });
}
