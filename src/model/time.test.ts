import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatOffset, formatSeconds, NS_PER_MS, runStart } from "./time.js";

describe("formatOffset", () => {
  it("shows seconds with whole milliseconds, truncated", () => {
    expect(formatOffset(0n)).toBe("+0.000s");
    expect(formatOffset(999_999n)).toBe("+0.000s");
    expect(formatOffset(1_999_600n)).toBe("+0.001s");
    expect(formatOffset(1_234_567_890n)).toBe("+1.234s");
    expect(formatOffset(3_600_000_000_000n)).toBe("+3600.000s");
    expect(formatOffset(-1_500_000n)).toBe("-0.001s");
    expect(formatOffset(-999n)).toBe("+0.000s");
    expect(formatSeconds(12_000_000n)).toBe("0.012s");
  });

  it("never reads later than the instant, and reads one millisecond apart as one millisecond apart", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (ns) => {
        const shown = formatOffset(ns);
        expect(shown).toMatch(/^\+\d+\.\d{3}s$/);
        const ms = BigInt(shown.slice(1, -1).replace(".", ""));
        expect(ms * NS_PER_MS <= ns && ns < (ms + 1n) * NS_PER_MS).toBe(true);
      }),
    );
  });

  it("measures from the earliest start of a run", () => {
    expect(runStart([{ start: "30" }, { start: "10" }, { start: "20" }])).toBe(10n);
    expect(runStart([])).toBe(0n);
  });
});
