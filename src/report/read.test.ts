import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { gap, results, run, test } from "../testing/report-results.js";
import { gapRefs } from "./baseline.js";
import { readResults } from "./read.js";
import { type Results, ResultsSchema } from "./results.js";
import { resultsText } from "./results-text.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-read-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tests = Array.from({ length: 40 }, (_, i) =>
  test(`INC-${String(i + 1).padStart(4, "0")}`, i % 2 ? [gap(), gap({ fact: "arguments" })] : [], {
    runs: [run(i % 2 ? "missing" : "present")],
  }),
);

/** The same tests as trailcheck wrote them before findings: version 1, its comparison repeating every gap. */
function asVersion1(r: Results): unknown {
  const { findings: _findings, totals, baseline, ...rest } = r;
  const { findings: _count, ...v1totals } = totals;
  const refs = gapRefs(r.tests).map(({ stage: _stage, ...ref }) => ref);
  return {
    ...rest,
    version: 1,
    totals: v1totals,
    ...(baseline ? { baseline: { file: baseline.file, new: refs, fixed: [], unchanged: [] } } : {}),
  };
}

async function write(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

describe("readResults", () => {
  it("reads what it writes: one test a line, the same document back", async () => {
    const now = results(tests, [], results(tests.slice(0, 10)));
    const text = resultsText(now);
    expect(text.split("\n").length).toBeLessThan(now.tests.length + now.findings.length + 80);
    expect(await readResults(await write("v2.json", text))).toEqual(ResultsSchema.parse(now));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(now)));
  });

  it("reads version 1 as this version assembles the same tests (a shard to merge, a baseline to compare with)", async () => {
    const v1 = asVersion1(results(tests, [], results([])));
    const read = await readResults(await write("v1.json", v1));
    expect(read).toEqual(results(tests));
    expect(read.version).toBe(2);
    expect(read.findings.map((f) => [f.fact, f.tests]).sort()).toEqual([
      ["arguments", 20],
      ["record", 20],
    ]);
    const compared = results(tests.slice(0, 20), [], read);
    expect(compared.findings.map((f) => f.status)).toEqual(["unchanged", "unchanged"]);
    expect(compared.baseline!.fixed).toHaveLength(20);
  });

  it("refuses other versions and malformed documents, naming the file and field", async () => {
    const future = await write("v9.json", { version: 9 });
    await expect(readResults(future)).rejects.toThrow(InputError);
    await expect(readResults(future)).rejects.toThrow(
      /results version 9 is not supported \(this trailcheck reads versions 1 to 2\)/,
    );
    const broken = { ...JSON.parse(JSON.stringify(results(tests))), findings: "many" };
    await expect(readResults(await write("broken.json", broken))).rejects.toMatchObject({
      location: { field: "findings" },
    });
  });
});
