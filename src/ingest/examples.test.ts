import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SpanRecordSchema } from "../model/record.js";
import { detectFormat, readRuns } from "./index.js";

const DIR = fileURLToPath(new URL("../../examples/traces/", import.meta.url));
const files = (() => {
  try {
    return readdirSync(DIR).filter((f) => /\.(json|jsonl|ndjson)$/.test(f) && !f.endsWith(".schema.json"));
  } catch {
    return [];
  }
})();

describe.runIf(files.length > 0)("every example trace ingests", () => {
  it.each(files)("%s", async (name) => {
    const file = `${DIR}${name}`;
    const format = await detectFormat(file);
    if (name.endsWith(".otlp.json")) expect(format).toBe("otlp-json");
    const runs = await readRuns(file);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      for (const record of run.records) {
        expect(SpanRecordSchema.safeParse(record).success).toBe(true);
        expect(record.traceId).toBe(run.traceId);
      }
    }
    // Reading one trace gives exactly that trace's records.
    const [first] = runs;
    const one = await readRuns(file, { traceId: first!.traceId });
    expect(one).toEqual([first]);
  });
});
