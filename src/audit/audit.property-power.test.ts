import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { audit } from "./audit.js";
import type { judgeRun as JudgeRun } from "./judge.js";
import type { RunFacts } from "./run-facts.js";
import { checkAuditProperty, type PropertySetup, propertySetup } from "./testdata/loss-property.js";

/**
 * The audit's property can fail: with the judge broken one way at a time, it finds a counterexample.
 * Each breakage is one a careless change could make — ignoring a kind of evidence, or flagging what is
 * fine.
 */
type Breakage = (facts: RunFacts) => RunFacts | "flag";
let breakage: Breakage | undefined;

vi.mock("./judge.js", async (original) => {
  const real = await original<typeof import("./judge.js")>();
  const judgeRun: typeof JudgeRun = (facts, ctx, extra) => {
    const broken = breakage?.(facts);
    if (broken === "flag") {
      return { verdict: "incomplete", reasons: [{ code: "no-root", cause: "unknown", message: "broken" }] };
    }
    return real.judgeRun(broken ?? facts, ctx, extra);
  };
  return { ...real, judgeRun };
});

const BREAKAGES: Record<string, Breakage> = {
  "orphans ignored": (f) => ({
    ...f,
    missingParents: [],
    ...(f.root ? {} : { root: { spanId: "0", name: "x" } }),
  }),
  "unaccounted tool calls ignored": (f) => ({ ...f, unaccounted: [] }),
  "missing facts ignored": (f) => ({ ...f, facts: f.facts.filter((x) => x.state !== "missing") }),
  "masked facts ignored": (f) => ({ ...f, facts: f.facts.filter((x) => x.state === "missing") }),
  "unrecorded model calls ignored": (f) => ({ ...f, unrecordedModelCalls: [] }),
  "a run with a failed tool flagged": (f) => (f.tools.length > 1 ? "flag" : f),
};

let setup: PropertySetup;
beforeAll(async () => {
  setup = await propertySetup(
    await mkdtemp(join(tmpdir(), "trailcheck-audit-power-")),
    join(import.meta.dirname, "..", "..", "examples", "logging"),
  );
});
afterAll(() => rm(setup.dir, { recursive: true, force: true }));

describe("the audit's property fails when the judge is broken", () => {
  it.each(Object.keys(BREAKAGES))("%s", { timeout: 300_000 }, async (name) => {
    breakage = BREAKAGES[name];
    try {
      const { result } = await checkAuditProperty(audit, setup, {
        numRuns: 400,
        seed: 20260115,
        endOnFailure: true,
      });
      expect(result.failed).toBe(true);
    } finally {
      breakage = undefined;
    }
  });
});
