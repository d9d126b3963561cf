import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

/** Runs suites/incidents.test.ts for another project, as `trailcheck run` would, and reads vitest's JSON report. */
async function runSuite(project: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(root, "node_modules", "vitest", "vitest.mjs"),
      "run",
      "suites/incidents.test.ts",
      "--reporter=json",
    ],
    { cwd: root, env: { ...process.env, TRAILCHECK_ROOT: project, NO_COLOR: "1" }, maxBuffer: 1 << 24 },
  ).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
  return report.testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults) as {
    title: string;
    status: string;
    failureMessages: string[];
  }[];
}

describe("the incident suite", () => {
  it("makes one test per incident; a malformed file fails its own test only", async () => {
    const project = await mkdtemp(join(tmpdir(), "trailcheck-suite-"));
    const incidents = join(project, "incidents");
    await mkdir(incidents);
    await writeFile(
      join(project, "trailcheck.config.yaml"),
      `logging: ${JSON.stringify(join(root, "examples", "logging", "sampling.yaml"))}\n`,
    );
    for (const name of [
      "INC-0001-customer-complaint-refund-run-for-order-a-1001.yaml",
      "INC-0001-customer-complaint-refund-run-for-order-a-1001.run.jsonl",
      "INC-0004-policy-decisions-logged-to-a-separate-stream.yaml",
      "INC-0004-policy-decisions-logged-to-a-separate-stream.run.jsonl",
    ]) {
      await copyFile(join(root, "incidents", name), join(incidents, name));
    }
    await writeFile(
      join(incidents, "INC-0002-broken.yaml"),
      "id: INC-0002\ntitle: Broken\nseverity: urgent\n",
    );
    const tests = await runSuite(project);
    expect(tests.map((t) => `${t.status} ${t.title}`)).toEqual([
      "failed INC-0001 Customer complaint: refund run for order A-1001 was sampled away",
      "failed INC-0002 Broken",
      "passed INC-0004 Policy decisions logged to a separate stream without trace ids",
    ]);
    expect(tests[0]!.failureMessages.join("\n")).toContain(
      "✗ tool:refund_payment.record — sampling at all/tail_sampling[0] (high)",
    );
    expect(tests[1]!.failureMessages.join("\n")).toContain(
      "INC-0002-broken.yaml:1:1 (reported): expected a date YYYY-MM-DD (and 5 more problems)",
    );
  }, 60_000);
});
