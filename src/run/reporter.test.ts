import { describe, expect, it } from "vitest";
import type { TestCase } from "vitest/node";
import { recordResult } from "../report/meta.js";
import { gap } from "../testing/report-results.js";
import { testEntry } from "./reporter.js";

/** The parts of vitest's TestCase that testEntry reads. */
function testCase(result: object, meta: object = {}): TestCase {
  return {
    fullName: "incident replays > replay INC-0007 refund",
    module: { moduleId: "/p/suites/replays.test.ts" },
    meta: () => meta,
    result: () => result,
    diagnostic: () => ({ duration: 12.3456 }),
  } as unknown as TestCase;
}

describe("testEntry", () => {
  it("keeps why a test was skipped", () => {
    const entry = testEntry(testCase({ state: "skipped", note: "the incident has no scenario" }), "/p");
    expect(entry).toMatchObject({
      id: "test:suites/replays.test.ts > incident replays > replay INC-0007 refund",
      state: "skipped",
      skipReason: "the incident has no scenario",
    });
    expect(testEntry(testCase({ state: "skipped" }), "/p")).not.toHaveProperty("skipReason");
  });

  it("keeps a failure's first line when the test recorded its gaps, and all of it when it did not", () => {
    const errors = [
      { message: "expected 1 fact(s) to be kept; 1 missing:\n  tool:refund_payment.arguments: missing" },
    ];
    const meta = {};
    recordResult(
      { meta },
      {
        kind: "incident",
        id: "INC-0007",
        title: "refund",
        verdicts: [{ traceId: "0".repeat(32), reconstructable: false, gaps: [gap()] }],
      },
    );
    expect(testEntry(testCase({ state: "failed", errors }, meta), "/p").failures).toEqual([
      "expected 1 fact(s) to be kept; 1 missing:",
    ]);
    expect(testEntry(testCase({ state: "failed", errors }), "/p").failures).toEqual([errors[0]!.message]);
  });
});
