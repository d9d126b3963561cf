import { describe, expect, it } from "vitest";
import { env, gap, results, run, test } from "../testing/report-results.js";
import { mergeResults } from "./assemble.js";
import { DETAIL_FAILING, DETAIL_PASSING, detailedTests } from "./detail.js";
import { FINDING_EXAMPLES, findingKey, findingsOf } from "./findings.js";
import type { TestEntry } from "./results.js";

const id = (n: number) => `INC-${String(n).padStart(4, "0")}`;
/** A run losing its agent and two tool calls to the tail sampler: two findings; one run in four hints otherwise. */
const sampled = (i = 1) => [
  gap({ action: { kind: "agent", name: "support-agent" }, severity: "medium" }),
  gap({ hint: i % 4 === 0 ? "sample 100%" : "keep it" }),
  gap({ severity: "critical" }),
];

describe("findings", () => {
  it("group a thousand incidents' gaps by cause, stage, action and fact, with counts, worst severity and the usual fix", () => {
    const tests = Array.from({ length: 1000 }, (_, i) => test(id(i + 1), sampled(i)));
    const findings = findingsOf(tests);
    expect(findings.map((f) => f.key)).toEqual([
      "sampling | all/tail_sampling[0] | tool:refund_payment | record",
      "sampling | all/tail_sampling[0] | agent:support-agent | record",
    ]);
    const [tool, agent] = findings;
    expect(tool).toMatchObject({
      severity: "critical",
      gaps: 2000,
      tests: 1000,
      runs: 1000,
      hint: "keep it",
    });
    expect(tool!.examples).toEqual(["incident:INC-0001", "incident:INC-0002", "incident:INC-0003"]);
    expect(agent).toMatchObject({ severity: "medium", gaps: 1000, tests: 1000 });
    expect(findingKey(gap({ stage: "all/filter[0]" }))).not.toBe(findingKey(gap()));
  });

  it("name incidents as examples before other tests that share the finding", () => {
    const check: TestEntry = { ...test("config:all", [gap()]), id: "check:config:all", kind: "check" };
    const findings = findingsOf([check, test(id(1), [gap()]), test(id(2), [gap()])]);
    expect(findings[0]!.examples).toEqual(["incident:INC-0001", "incident:INC-0002", "check:config:all"]);
    expect(FINDING_EXAMPLES).toBe(3);
  });

  it("are new, fixed or unchanged against a baseline, and an unchanged one counts the incidents it spread to", () => {
    const before = results([
      test(id(1), [gap()]),
      test(id(2), [gap({ cause: "filter", stage: "all/filter[0]" })]),
    ]);
    const now = results(
      [
        test(id(1), [gap()]),
        test(id(2), []),
        test(id(3), [gap()]),
        test(id(4), [gap({ cause: "redaction", stage: "all/redaction[0]", fact: "arguments" })]),
      ],
      [],
      before,
    );
    expect(now.findings.map((f) => [f.status, f.cause, f.newGaps, f.fixedGaps])).toEqual([
      ["new", "redaction", 1, 0],
      ["fixed", "filter", 0, 1],
      ["unchanged", "sampling", 1, 0],
    ]);
    expect(now.totals.findings).toBe(2);
    expect(now.baseline).toMatchObject({
      new: [
        "incident:INC-0003 | tool:refund_payment | record | sampling",
        expect.stringMatching(/^incident:INC-0004/),
      ],
      unchanged: ["incident:INC-0001 | tool:refund_payment | record | sampling"],
    });
    expect(now.baseline!.fixed.map((g) => [g.test, g.cause, g.stage])).toEqual([
      ["incident:INC-0002", "filter", "all/filter[0]"],
    ]);
  });
});

describe("runs shown in full", () => {
  const many = (n: number, failing: (i: number) => boolean) =>
    Array.from({ length: n }, (_, i) =>
      test(id(i + 1), failing(i) ? sampled() : [], {
        runs: [run(failing(i) ? "missing" : "present")],
        source: `incidents/${id(i + 1)}.yaml`,
      }),
    );

  it("are the findings' examples and the first failing and passing tests; results.json points the others to their source", () => {
    const tests = many(300, (i) => i % 3 !== 0);
    const whole = results(tests);
    const detailed = detailedTests(whole.tests, whole.findings);
    expect(detailed.size).toBe(DETAIL_FAILING + DETAIL_PASSING);
    for (const t of whole.tests) {
      if (detailed.has(t.id)) expect(t.result?.runs?.[0]?.actions[0]?.facts[0]?.recorded).toBeDefined();
      else expect(t.result).not.toHaveProperty("runs");
      expect(t.result?.source).toBe(`incidents/${t.result?.id}.yaml`);
    }
    // Without a source to point to, a run stays.
    const unsourced = results(tests.map((t) => ({ ...t, result: { ...t.result!, source: undefined } })));
    expect(unsourced.tests.every((t) => t.result?.runs?.length === 1)).toBe(true);
  });

  it("survive sharding: shards merged equal the whole, runs and all", () => {
    const tests = many(120, (i) => i % 2 === 0).map((t, i) => ({ ...t, file: `suites/s${i % 7}.test.ts` }));
    const whole = results(tests);
    const shard = (k: number) => ({
      ...results(tests.filter((_, i) => i % 7 === k || i % 7 === k + 3)),
      environment: { ...env, shard: `${k + 1}/3` },
    });
    const rest = results(tests.filter((_, i) => i % 7 === 6));
    expect(mergeResults([shard(2), rest, shard(0), shard(1)])).toEqual(whole);
  });
});
