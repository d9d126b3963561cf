import { z } from "zod";
import { InputError, parserMessage, refuseDeepNesting } from "../errors.js";
import { readInputFile } from "../files/read-input.js";
import { assembleResults } from "./assemble.js";
import { RESULTS_VERSION, type Results, ResultsSchema } from "./results.js";

/**
 * Version 1 held the same tests, no findings, and a baseline comparison that repeated every gap. Its
 * comparison is not carried over: `--baseline` and `--merge` only need the tests, and a merge
 * compares anew.
 */
const ResultsV1Schema = ResultsSchema.omit({
  version: true,
  findings: true,
  totals: true,
  baseline: true,
}).extend({
  version: z.literal(1),
  totals: ResultsSchema.shape.totals.omit({ findings: true }),
  baseline: z.unknown().optional(),
});

/** A version 1 document as this version assembles the same tests. */
function upgradeV1(v1: z.infer<typeof ResultsV1Schema>): Results {
  return assembleResults({
    tests: v1.tests,
    errors: v1.errors,
    environment: v1.environment,
    generatedAt: new Date(v1.generatedAt),
  });
}

/**
 * Reads and validates a results.json (a baseline or a shard) of any version this trailcheck reads,
 * as the current version, with a message naming what's wrong.
 */
export async function readResults(file: string): Promise<Results> {
  const text = await readInputFile(file, "the results file");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError("bad-results", `not JSON: ${parserMessage(err)}`, { file });
  }
  const version = (json as { version?: unknown } | null)?.version;
  const schema = version === 1 ? ResultsV1Schema : version === RESULTS_VERSION ? ResultsSchema : undefined;
  if (!schema) {
    const shown = typeof version === "object" && version !== null ? "that is not a number" : String(version);
    throw new InputError(
      "bad-results",
      `results version ${shown.slice(0, 40)} is not supported (this trailcheck reads versions 1 to ${RESULTS_VERSION})`,
      { file },
    );
  }
  const parsed = refuseDeepNesting(
    () => schema.safeParse(json),
    () => new InputError("bad-results", "not a trailcheck results file: nested too deeply", { file }),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError("bad-results", `not a trailcheck results file: ${issue.message}`, {
      file,
      field: issue.path.join(".") || undefined,
    });
  }
  const data = parsed.data;
  return data.version === 1 ? upgradeV1(data) : data;
}
