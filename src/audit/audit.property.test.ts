import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "./audit.js";
import { checkAuditProperty, type PropertySetup, propertySetup } from "./testdata/loss-property.js";

// The property and what stored data alone cannot show are stated in testdata/loss-property.ts; the oracle that
// sorts losses into shown and hidden is visible-loss.ts. audit.property-power.test.ts breaks the judge
// and checks that this property then fails.

let setup: PropertySetup;
beforeAll(async () => {
  setup = await propertySetup(
    await mkdtemp(join(tmpdir(), "trailcheck-audit-property-")),
    join(import.meta.dirname, "..", "..", "examples", "logging"),
  );
});
afterAll(() => rm(setup.dir, { recursive: true, force: true }));

describe("trailcheck audit from stored data alone", () => {
  it("flags every run whose loss the store shows, and no run kept whole", { timeout: 300_000 }, async () => {
    const { result, seen } = await checkAuditProperty(audit, setup, {
      numRuns: Number(process.env.TRAILCHECK_PROPERTY_RUNS ?? 120),
      seed: Number(process.env.TRAILCHECK_PROPERTY_SEED ?? 20260115),
    });
    if (result.failed) throw new Error(`${fc.defaultReportMessage(result)}\n${String(result.errorInstance)}`);
    // Every class of run occurs, so the property is exercised both ways.
    expect(seen.whole).toBeGreaterThan(10);
    expect(seen.visible).toBeGreaterThan(10);
    expect(seen.hiddenOnly).toBeGreaterThan(0);
    expect(seen.dropped).toBeGreaterThan(0);
    expect([...seen.hidden].sort()).toEqual(
      expect.arrayContaining([
        "run-dropped",
        "unreferenced-record",
        "unrequired-attribute",
        "rewritten-value",
      ]),
    );
  });
});
