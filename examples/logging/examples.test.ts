import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLoggingConfig } from "../../src/config/logging.js";
import { readRecords } from "../../src/ingest/index.js";
import type { Cause } from "../../src/model/gap.js";
import type { SpanRecord } from "../../src/model/record.js";
import { resolveProfile } from "../../src/profiles/resolve.js";
import { auditTime } from "../../src/project/judging.js";
import { checkRecords } from "../../src/reconstruct/check.js";
import { EXAMPLE_CAUSES } from "./causes.js";

const here = import.meta.dirname;
const traces = join(here, "..", "traces");

async function causes(config: string, trace: string): Promise<Set<Cause>> {
  const logging = await loadLoggingConfig(join(here, config));
  const profile = await resolveProfile(logging.compliance);
  const records: SpanRecord[] = [];
  for await (const r of readRecords(join(traces, trace))) records.push(r);
  const { verdicts } = checkRecords(records, logging, profile, {
    auditAfterNs: auditTime({}, profile).ns,
  });
  return new Set(verdicts.flatMap((v) => v.gaps.map((g) => g.cause)));
}

/** Traces recorded with every fact: no gap at all under a config that keeps everything. */
const COMPLETE = [
  "ai-sdk-v6.otlp.json",
  "ai-sdk-v6-denied.otlp.json",
  "ai-sdk-v5.otlp.json",
  "genai-semconv.otlp.json",
  "genai-semconv-denied.otlp.json",
  "collector-file-export.jsonl",
].filter((f) => readdirSync(traces).includes(f));

/** Traces whose run has a failed span. */
const FAILED_RUNS = ["ai-sdk-v6-denied.otlp.json", "genai-semconv-denied.otlp.json"];

describe("example logging configs", () => {
  it.each(COMPLETE)("passing.yaml keeps every fact of %s", async (trace) => {
    expect([...(await causes("passing.yaml", trace))]).toEqual([]);
  });

  for (const [config, cause] of EXAMPLE_CAUSES) {
    it.each(COMPLETE)(`${config} loses facts of %s with cause ${cause} only`, async (trace) => {
      // Tail sampling with an error policy keeps failed runs whole: the denied runs hold a failed tool call.
      const expected = config === "sampling.yaml" && FAILED_RUNS.includes(trace) ? [] : [cause];
      expect([...(await causes(config, trace))]).toEqual(expected);
    });
  }

  it("instrumentation.yaml keeps everything, so a trace recorded with recordOutputs off shows instrumentation only", async () => {
    expect([...(await causes("instrumentation.yaml", "ai-sdk-v6-no-outputs.otlp.json"))]).toEqual([
      "instrumentation",
    ]);
    expect([...(await causes("instrumentation.yaml", "ai-sdk-v6.otlp.json"))]).toEqual([]);
  });
});
