import { describe, expect, it } from "vitest";
import type { Profile } from "../../model/profile.js";
import { BUILTIN_PROFILES } from "../../profiles/builtin.js";
import { judgeTableRetention, ttlOf } from "./retention.js";

const eu = BUILTIN_PROFILES["eu-ai-act"]!; // six months
const pci = BUILTIN_PROFILES["pci-dss-4"]!; // twelve months, three immediately available
const none = BUILTIN_PROFILES.reconstructable!;

const judge = (ttl: string | null, profile: Profile, drop = true) =>
  judgeTableRetention(ttl, drop, profile, "otel.otel_traces");

describe("a ClickHouse table's retention against the profile", () => {
  it("reads the TTL clause the exporter writes from engine_full", () => {
    expect(
      ttlOf(
        "MergeTree PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp) TTL toDateTime(Timestamp) + toIntervalDay(30) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1",
      ),
    ).toBe("toDateTime(Timestamp) + toIntervalDay(30)");
    expect(ttlOf("MergeTree ORDER BY a SETTINGS index_granularity = 8192")).toBeNull();
  });

  it("fails a 30-day TTL against six months, passes 6 calendar months and 400 days", () => {
    expect(judge("toDateTime(Timestamp) + toIntervalDay(30)", eu)).toMatchObject({
      configured: "30d",
      required: "6mo",
      ok: false,
      message: "otel.otel_traces deletes records after 30d, but 'eu-ai-act' requires 6mo",
    });
    expect(judge("toDateTime(Timestamp) + toIntervalMonth(6)", eu)).toMatchObject({
      configured: "6mo",
      ok: true,
    });
    expect(judge("toDateTime(Timestamp) + toIntervalDay(400)", eu).ok).toBe(true);
    // Half a year in days is not six calendar months: the profile counts months long.
    expect(judge("toDateTime(Timestamp) + toIntervalDay(182)", eu).ok).toBe(false);
  });

  it("says whole daily partitions go at once with ttl_only_drop_parts", () => {
    expect(judge("toDateTime(Timestamp) + toIntervalHour(72)", none).message).toBe(
      "otel.otel_traces keeps records 3d; ttl_only_drop_parts drops whole daily partitions, so a record is kept from 3d up to a day longer",
    );
    expect(judge("toDateTime(Timestamp) + toIntervalHour(72)", none, false).message).toBe(
      "otel.otel_traces keeps records 3d",
    );
  });

  it("keeps a table without a TTL as long as anyone lets it", () => {
    expect(judge(null, pci)).toMatchObject({ ttl: null, configured: null, ok: true });
  });

  it("judges a move to other storage against the immediately available period", () => {
    const ttl =
      "toDateTime(Timestamp) + toIntervalDay(30) TO VOLUME 'cold', toDateTime(Timestamp) + toIntervalDay(400)";
    expect(judge(ttl, pci)).toMatchObject({ configured: "400d", ok: false });
    expect(judge(ttl, pci).message).toContain("moves records to other storage after 30d");
    expect(judge(ttl.replace("30", "100"), pci).ok).toBe(true);
  });

  it("does not vouch for a TTL it can't read as an age of Timestamp", () => {
    const r = judge("toDateTime(Timestamp) + toIntervalDay(400) WHERE StatusCode != 'Error'", eu);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("is not a plain age of Timestamp");
  });
});
