// `trailcheck check … | head -1`: the reader closes the pipe early. The command's exit code is still its
// verdict (a check of runs with gaps exits 1, not 0) and nothing is reported as a crash; the same when
// it is standard error that is closed (`2>&1 | head`: src/run/run.test.ts). Whole processes, as a
// shell runs them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../errors.js";
import { cliWithClosedPipe } from "../testing/closed-pipe.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LOGGING = join(ROOT, "examples", "logging", "passing.yaml");
let dir: string;
let trace: string;

/** Runs of one GenAI tool span without its arguments or result: two gaps each, a line of output. */
function toolRuns(n: number): string {
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, "0"),
    spanId: "0000000000000001",
    name: "execute_tool lookup",
    kind: 1,
    startTimeUnixNano: "1700000000000000000",
    endTimeUnixNano: "1700000001000000000",
    attributes: [
      { key: "gen_ai.operation.name", value: { stringValue: "execute_tool" } },
      { key: "gen_ai.tool.name", value: { stringValue: "lookup" } },
    ],
  }));
  const service = { key: "service.name", value: { stringValue: "agent" } };
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [service] }, scopeSpans: [{ spans }] }],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-closed-pipe-"));
  trace = join(dir, "runs.otlp.json");
  await writeFile(trace, toolRuns(2000));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a reader that closes the pipe early", () => {
  it("leaves the exit code of a check with gaps at 1, with nothing on standard error", async () => {
    const r = await cliWithClosedPipe(["check", "--trace", trace, "--logging", LOGGING], "stdout");
    expect(r.first).toContain("trailcheck check");
    expect(r.kept).toBe("");
    expect(r.code).toBe(ExitCode.gaps);
  }, 60_000);
});
