import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
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

describe("trailcheck incident (the command)", () => {
  it("exits 2 on bad input, prints the reason on stderr and writes nothing", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "trailcheck-cli-")), "incidents");
    const result = await promisify(execFile)(
      process.execPath,
      [
        join(root, "bin", "trailcheck.js"),
        "incident",
        "add",
        "examples/traces/collector-file-export.jsonl",
        "--dir",
        dir,
      ],
      { cwd: root },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "trailcheck: examples/traces/collector-file-export.jsonl: the file holds 2 traces; choose one with --trace-id:
        292786ac7bba99fa32b8fb402cf96304  ai.generateText (9 spans)
        b269c405c9352945294a0f8b20aa4e5b  support-agent.handle_request (10 spans)
      "
    `);
    await expect(readdir(dir)).rejects.toThrow();
  }, 60_000);
});

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
