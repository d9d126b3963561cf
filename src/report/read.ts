import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { type Results, ResultsSchema } from "./results.js";

/** Reads and validates a results.json (a baseline or a shard), with a message naming what's wrong. */
export async function readResults(file: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError("file-not-found", "cannot read the results file", { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError("bad-results", `not JSON: ${(err as Error).message}`, { file });
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 1) {
    throw new InputError(
      "bad-results",
      `results version ${JSON.stringify(version)} is not supported (this trailcheck reads version 1)`,
      { file },
    );
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError("bad-results", `not a trailcheck results file: ${issue.message}`, {
      file,
      field: issue.path.join(".") || undefined,
    });
  }
  return parsed.data;
}
