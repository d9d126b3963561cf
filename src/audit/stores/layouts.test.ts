import { describe, expect, it } from "vitest";
import { isoTime } from "../window.js";
import { seriesFile, seriesSegments } from "./rotated-files.js";
import { partitionInterval } from "./s3-layout.js";

describe("lumberjack backups", () => {
  it("reads the rotation time and the series from a backup's name, gzipped or not", () => {
    const f = seriesFile("traces-2026-01-15T09-30-00.250.json.gz");
    expect(f.series).toBe("traces.json");
    expect(isoTime(f.rotatedAt!)).toBe("2026-01-15T09:30:00.250Z");
    expect(seriesFile("traces.json")).toEqual({ name: "traces.json", series: "traces.json" });
    expect(seriesFile("my-app-traces.jsonl").rotatedAt).toBeUndefined();
  });

  it("bounds each file by its neighbours' rotation times, oldest first, per series", () => {
    const segments = seriesSegments([
      "traces.json",
      "traces-2026-01-15T10-00-00.000.json.gz",
      "traces-2026-01-15T09-00-00.000.json",
      "llm.json",
    ]);
    const view = segments.map((s) => [
      s.name,
      s.writtenAfter !== undefined ? isoTime(s.writtenAfter) : null,
      s.writtenBefore !== undefined ? isoTime(s.writtenBefore) : null,
      s.oldest,
    ]);
    expect(view).toEqual([
      ["traces-2026-01-15T09-00-00.000.json", null, "2026-01-15T09:00:00.000Z", true],
      [
        "traces-2026-01-15T10-00-00.000.json.gz",
        "2026-01-15T09:00:00.000Z",
        "2026-01-15T10:00:00.000Z",
        false,
      ],
      ["traces.json", "2026-01-15T10:00:00.000Z", null, false],
      ["llm.json", null, null, false],
    ]);
  });
});

describe("awss3exporter partitions", () => {
  it("covers the interval its deepest level names, in UTC", () => {
    const minute = partitionInterval({ year: 2026, month: 1, day: 15, hour: 9, minute: 59 });
    expect([isoTime(minute.start), isoTime(minute.end)]).toEqual([
      "2026-01-15T09:59:00.000Z",
      "2026-01-15T10:00:00.000Z",
    ]);
    const month = partitionInterval({ year: 2025, month: 12 });
    expect([isoTime(month.start), isoTime(month.end)]).toEqual([
      "2025-12-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
    ]);
  });
});
