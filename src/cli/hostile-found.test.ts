// What the hostile-file property (input.property.test.ts) found, each kept as a case of its own: exit 2
// with one line naming the file, never a stack trace, a warning on stderr, or a hang.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../errors.js";
import { resultsText } from "../report/write.js";
import { exampleResults } from "../testing/example-results.js";
import { TRACE } from "../testing/hostile-fixtures.js";
import { runCliHere } from "../testing/run-cli.js";

const WHOLE_TIME = ["--from", "2000-01-01T00:00:00Z", "--now", "2100-01-01T00:00:00Z"];
let dir: string;

/** Bad input: exit 2, one line on stderr naming `file` and matching `what`, nothing else. */
function expectBadInput(r: { code: number; err: string }, file: string, what: RegExp) {
  expect(r.code, r.err).toBe(ExitCode.badInput);
  expect(r.err.split("\n"), r.err).toHaveLength(2);
  expect(r.err).toMatch(new RegExp(`^trailcheck: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  expect(r.err).toMatch(what);
}

async function file(name: string, content: string): Promise<string> {
  await writeFile(join(dir, name), content);
  return join(dir, name);
}

/** `[[[…]]]` `depth` deep: past the stack of any recursive walk. */
const deep = (depth: number, inner = "1") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcheck-found-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("audit --state", () => {
  it("a state file that is not JSON: one line, though the parser quotes a line break", async () => {
    const state = await file("state.json", "&b <<: *a\n>-\nturns\n");
    const r = await runCliHere(["audit", "--store", TRACE, "--state", state, ...WHOLE_TIME]);
    expectBadInput(r, state, /the state file is not valid JSON: .*\\n/);
  });

  it("a FIFO as the state file is refused at once, not waited on", async () => {
    const fifo = join(dir, "state.fifo");
    execFileSync("mkfifo", [fifo]);
    const r = await runCliHere(["audit", "--store", TRACE, "--state", fifo, ...WHOLE_TIME]);
    expectBadInput(r, fifo, /the state file is a FIFO/);
  });
});

describe("nesting past the stack of a recursive reader", () => {
  it("a collector config", async () => {
    const otelcol = await file("otelcol.yaml", `receivers: ${deep(20_000)}\n`);
    expectBadInput(await runCliHere(["analyze", "--otelcol", otelcol]), otelcol, /nested too deeply/);
  });

  it("a results.json whose version is nested deeply", async () => {
    await mkdir(join(dir, "shard"));
    const text = resultsText(await exampleResults()).replace(/"version": *\d+/, `"version": ${deep(20_000)}`);
    const results = join(dir, "shard", "results.json");
    await writeFile(results, text);
    const r = await runCliHere(["report", "--merge", join(dir, "shard"), "--output", join(dir, "out")]);
    expectBadInput(r, results, /results version that is not a number is not supported/);
  });
});

describe("a file the system cannot read (EIO)", () => {
  // /proc/self/mem opens but every read at offset 0 fails with EIO (Linux); a failing disk does the same.
  it.runIf(process.platform === "linux")(
    "is refused naming the file by every verb that reads a trace",
    async () => {
      const mem = "/proc/self/mem";
      const keys = join(dir, "keys");
      expect((await runCliHere(["keygen", "--out", keys])).code).toBe(0);
      const runs = [
        ["check", "--trace", mem, "--logging", "examples/logging/passing.yaml"],
        ["seal", "--in", mem, "--out", join(dir, "sealed"), "--key", join(keys, "private.pem")],
        ["audit", "--store", `file:${mem}`, ...WHOLE_TIME],
      ];
      for (const args of runs) expectBadInput(await runCliHere(args), mem, /input\/output error/);
    },
  );
});
