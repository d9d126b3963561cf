import { relative, sep } from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { readResultMeta } from "../report/meta.js";
import type { TestEntry } from "../report/results.js";
import type { Progress } from "./progress.js";

const ANSI = /\x1b\[[0-9;]*m/g;
const MAX_FAILURE = 4_000;

function clean(text: string): string {
  const plain = text.replace(ANSI, "");
  return plain.length > MAX_FAILURE ? `${plain.slice(0, MAX_FAILURE - 1)}…` : plain;
}

function errorText(e: Pick<SerializedError, "message" | "name"> & { diff?: string }): string {
  return clean([e.message || e.name || "error", e.diff].filter(Boolean).join("\n"));
}

/** A failure's first line: enough beside the gaps the test recorded, which say the rest as data. */
const headline = (text: string) => text.split("\n", 1)[0]!;

/**
 * One vitest test case as a results entry: its state, failures (their first lines when it recorded
 * gaps), why it was skipped, and the result its suite recorded.
 */
export function testEntry(test: TestCase, root: string): TestEntry {
  const result = readResultMeta(test.meta());
  const outcome = test.result();
  const errors = outcome.state === "failed" ? outcome.errors : [];
  const hasGaps = (result?.verdicts ?? []).some((v) => v.gaps.length > 0);
  const state = outcome.state;
  return {
    id: result
      ? `${result.kind}:${result.id}`
      : `test:${relative(root, test.module.moduleId).split(sep).join("/")} > ${test.fullName}`,
    name: test.fullName,
    file: relative(root, test.module.moduleId).split(sep).join("/"),
    state: state === "passed" ? "passed" : state === "failed" ? "failed" : "skipped",
    durationMs: Math.round((test.diagnostic()?.duration ?? 0) * 1000) / 1000,
    kind: result?.kind ?? "test",
    failures: errors.map((e) => (hasGaps ? headline(errorText(e)) : errorText(e))),
    ...(outcome.state === "skipped" && outcome.note ? { skipReason: clean(outcome.note) } : {}),
    ...(result ? { result } : {}),
  };
}

/**
 * trailcheck's vitest reporter: reads each test's recorded result from its metadata (never from
 * output), shows progress, and hands the collected entries over when the run ends.
 */
export class TrailcheckReporter implements Reporter {
  readonly tests: TestEntry[] = [];
  readonly errors: string[] = [];
  /** The errors of suite files that did not load (also in `errors`): such a file ran no test. */
  readonly moduleErrors: string[] = [];
  constructor(
    private readonly root: string,
    private readonly progress: Progress,
  ) {}

  onTestModuleCollected(module: TestModule): void {
    this.progress.collected([...module.children.allTests()].length);
  }

  onTestCaseResult(test: TestCase): void {
    const entry = testEntry(test, this.root);
    const gaps = (entry.result?.verdicts ?? []).reduce((n, v) => n + v.gaps.length, 0);
    this.progress.finished(entry.name, entry.state, gaps);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    for (const module of modules) {
      for (const test of module.children.allTests()) this.tests.push(testEntry(test, this.root));
      for (const e of module.errors()) {
        const text = `${relative(this.root, module.moduleId).split(sep).join("/")}: ${errorText(e)}`;
        this.errors.push(text);
        this.moduleErrors.push(text);
      }
    }
    for (const e of unhandled) this.errors.push(errorText(e));
    this.progress.end();
  }
}
