import { describe, expect, it } from "vitest";
import { thrownInputError } from "../testing/thrown.js";
import { isoTime, resolveWindow } from "./window.js";

const clock = () => new Date("2026-01-15T10:00:00Z");

describe("resolveWindow", () => {
  it("defaults to the hour before now with a 7-day baseline and 15 minutes' grace", () => {
    const w = resolveWindow({}, clock);
    expect([isoTime(w.from), isoTime(w.to), isoTime(w.baselineFrom)]).toEqual([
      "2026-01-15T09:00:00.000Z",
      "2026-01-15T10:00:00.000Z",
      "2026-01-08T09:00:00.000Z",
    ]);
    expect(w.graceNs).toBe(15n * 60n * 1_000_000_000n);
  });

  it("reads times relative to --now, and ISO times exactly to the nanosecond", () => {
    const w = resolveWindow({ now: "2026-02-01T00:00:00Z", from: "-2h", to: "-1h", baseline: "1d" }, clock);
    expect([isoTime(w.from), isoTime(w.to), isoTime(w.baselineFrom)]).toEqual([
      "2026-01-31T22:00:00.000Z",
      "2026-01-31T23:00:00.000Z",
      "2026-01-30T22:00:00.000Z",
    ]);
    expect(resolveWindow({ from: "2026-01-15T09:00:00.000000001Z" }, clock).from % 1_000_000n).toBe(1n);
  });

  it("refuses a window that ends before it starts, and times it can't read", () => {
    expect(thrownInputError(() => resolveWindow({ from: "-1h", to: "-2h" }, clock)).code).toBe("bad-time");
    const bad = thrownInputError(() => resolveWindow({ from: "yesterday" }, clock));
    expect(bad.message).toMatchInlineSnapshot(
      `"--from must be an ISO 8601 time (2026-01-15T09:30:00Z) or relative to --now (-1h), not 'yesterday'"`,
    );
    expect(thrownInputError(() => resolveWindow({ grace: "soon" }, clock)).code).toBe("bad-option");
  });
});
