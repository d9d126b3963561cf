import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, formatElapsed, parseDuration } from "./duration.js";
import { NS_PER_SECOND } from "./time.js";

describe("formatDuration", () => {
  it("echoes a setting as a config states it, exactly", () => {
    expect(formatDuration(parseDuration("6mo")!)).toBe("6mo");
    expect(formatDuration(parseDuration("400d")!)).toBe("400d");
    expect(formatDuration(parseDuration("90s")!)).toBe("90s");
    expect(formatDuration(parseDuration("60m")!)).toBe("1h");
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom("ms", "s", "m", "h", "d", "w", "mo", "y"),
        (n, unit) => {
          const ns = parseDuration(`${n}${unit}`)!;
          expect(parseDuration(formatDuration(ns))).toBe(ns);
        },
      ),
    );
  });
});

describe("formatElapsed", () => {
  it("shows a measured time by its two leading units", () => {
    expect(formatElapsed(0n)).toBe("0s");
    expect(formatElapsed(90n * NS_PER_SECOND + 500_000_000n)).toBe("1m30s");
    expect(formatElapsed(250_000_000n)).toBe("250ms");
    expect(formatElapsed(12n)).toBe("12ns");
    expect(formatElapsed(1_500n)).toBe("1µs500ns");
    expect(formatElapsed(-(3n * 86_400n + 4n * 3_600n + 5n) * NS_PER_SECOND)).toBe("-3d4h");
  });
});
