import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../model/record.js";
import { BUILTIN_PROFILES } from "../profiles/builtin.js";
import { span, TRACE_ID } from "../testing/records.js";
import { genAiRun } from "../testing/runs.js";
import { judgeRun } from "./judge.js";
import { runFactsOf } from "./run-facts.js";

const profile = BUILTIN_PROFILES.reconstructable!;
const eu = BUILTIN_PROFILES["eu-ai-act"]!;
const HOUR = 3_600_000_000_000n;

/** The conventions' GenAI run: agent `weather` → llm asking for `get_weather` (call_1) → the tool → llm. */
function run(): SpanRecord[] {
  return genAiRun().records.map((r) => ({ ...r, resource: { "service.name": "shop" } }));
}

const latestOf = (records: SpanRecord[]) =>
  records.reduce((m, r) => (BigInt(r.end) > m ? BigInt(r.end) : m), 0n);
const later = (records: SpanRecord[]) => ({ now: latestOf(records) + HOUR, graceNs: HOUR / 4n });
const judge = (records: SpanRecord[], p = profile, ctx = later(records)) =>
  judgeRun(runFactsOf(TRACE_ID, records, p), ctx);

describe("runFactsOf and judgeRun", () => {
  it("finds a whole run reconstructable and names its service and agent", () => {
    const records = run();
    const facts = runFactsOf(TRACE_ID, records, profile);
    expect(facts).toMatchObject({
      service: "shop",
      agent: "weather",
      spans: 4,
      root: { spanId: records[0]!.spanId },
    });
    expect(judge(records)).toEqual({ verdict: "reconstructable", reasons: [] });
  });

  it("reports a run without its root as no-root, naming the missing parent", () => {
    const [, ...rest] = run();
    const { verdict, reasons } = judge(rest);
    expect(verdict).toBe("incomplete");
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code: "no-root", cause: "unknown" });
    expect(reasons[0]!.message).toContain("0000000000000001");
  });

  it("keeps a rootless run pending while its latest span is younger than the grace period", () => {
    const [, ...rest] = run();
    const latest = latestOf(rest);
    expect(judge(rest, profile, { now: latest + 60_000_000_000n, graceNs: HOUR / 4n })).toEqual({
      verdict: "pending",
      reasons: [],
    });
    expect(judge(rest, profile, { now: latest + HOUR, graceNs: HOUR / 4n }).verdict).toBe("incomplete");
  });

  it("reports a span whose parent is not stored as an orphan with the child's parent fact", () => {
    const records = run();
    records.push(
      span({
        id: 7,
        parent: 9,
        name: "policy refund-limit",
        attributes: {
          "trailcheck.kind": "policy",
          "policy.name": "refund-limit",
          "policy.decision": "allow",
          "policy.reason": "ok",
          "policy.subject": "x",
        },
      }),
    );
    const { reasons } = judge(records);
    expect(reasons.map((r) => [r.code, r.fact])).toEqual([["orphan", "policy:refund-limit.parent"]]);
  });

  it("reports a tool call the model asked for that nothing accounts for, with the asking span", () => {
    const records = run().filter((r) => r.spanId !== run()[2]!.spanId);
    const { reasons } = judge(records);
    expect(reasons).toEqual([
      expect.objectContaining({
        code: "unaccounted-tool-call",
        fact: "tool:get_weather.record",
        spanId: records[1]!.spanId,
        cause: "unknown",
      }),
    ]);
  });

  it("accounts for a denied call by the blocking policy decision, as check does", () => {
    const records = run().filter((r) => r.spanId !== run()[2]!.spanId);
    records.push(
      span({
        id: 5,
        parent: 1,
        name: "policy refund-limit",
        attributes: {
          "trailcheck.kind": "policy",
          "policy.name": "refund-limit",
          "policy.decision": "deny",
          "policy.reason": "over limit",
          "policy.tool_call.id": "call_1",
          "policy.tool.name": "get_weather",
        },
      }),
    );
    expect(judge(records).verdict).toBe("reconstructable");
  });

  it("reports a required fact that is absent, and blames redaction when its summary lists the key", () => {
    const records = run();
    const tool = records[2]!;
    const { "gen_ai.tool.call.arguments": _a, ...rest } = tool.attributes;
    records[2] = {
      ...tool,
      attributes: { ...rest, "redaction.redacted.keys": "gen_ai.tool.call.arguments" },
    };
    expect(judge(records).reasons).toEqual([
      expect.objectContaining({
        code: "missing-fact",
        cause: "redaction",
        fact: "tool:get_weather.arguments",
      }),
    ]);
    records[2] = { ...tool, attributes: rest };
    expect(judge(records).reasons).toEqual([
      expect.objectContaining({ code: "missing-fact", cause: "unknown", fact: "tool:get_weather.arguments" }),
    ]);
  });

  it("reports a masked or hashed fact the profile needs readable, and accepts it where the profile allows", () => {
    const records = run();
    const tool = records[2]!;
    records[2] = {
      ...tool,
      attributes: { ...tool.attributes, "gen_ai.tool.call.arguments": '{"card":"****"}' },
    };
    expect(judge(records).reasons).toEqual([
      expect.objectContaining({
        code: "masked-fact",
        cause: "redaction",
        fact: "tool:get_weather.arguments",
      }),
    ]);
    expect(judge(records, eu).verdict).toBe("reconstructable");
    records[2] = { ...tool, attributes: { ...tool.attributes, "gen_ai.tool.call.result": "a".repeat(64) } };
    expect(judge(records).reasons).toEqual([
      expect.objectContaining({ code: "masked-fact", fact: "tool:get_weather.result" }),
    ]);
  });

  it("puts a run that began before the store's oldest record at the retention edge", () => {
    const [, ...rest] = run();
    const edge = BigInt(rest[0]!.start) + 1n;
    const { reasons } = judgeRun(runFactsOf(TRACE_ID, rest, profile), { ...later(rest), edge });
    expect(reasons.map((r) => [r.code, r.cause])).toEqual([
      ["no-root", "retention"],
      ["retention-edge", "retention"],
    ]);
    // A run that began after the edge lost nothing to it.
    const after = judgeRun(runFactsOf(TRACE_ID, rest, profile), { ...later(rest), edge: edge - 2n });
    expect(after.reasons.map((r) => r.code)).toEqual(["no-root"]);
  });

  it("takes the stage and cause of a loss from the pipeline model when one is given", () => {
    const records = run().filter((r) => r.spanId !== run()[2]!.spanId);
    const { reasons } = judgeRun(runFactsOf(TRACE_ID, records, profile), {
      ...later(records),
      explain: (thing) =>
        thing.type === "tool-call"
          ? { cause: "filter", stage: "all/filter[0]", detail: "a filter drops it" }
          : undefined,
    });
    expect(reasons[0]).toMatchObject({ cause: "filter", stage: "all/filter[0]" });
    expect(reasons[0]!.message).toContain("a filter drops it");
  });
});
