import { describe, expect, it } from "vitest";
import { config } from "../testing/logging-configs.js";
import { SECOND, span } from "../testing/records.js";
import { simulate } from "./simulate.js";

const DAY = 86_400n * SECOND;

describe("store at audit time", () => {
  const root = span({ startS: 0, endS: 10 });
  const child = span({
    startS: 1,
    endS: 2,
    parentSpanId: root.spanId,
    attributes: { prompt: "x".repeat(20) },
  });

  it("loses records past retention and archives those past the available window", () => {
    const cfg = config({
      streams: [
        { name: "short", retention: "30d" },
        { name: "long", retention: "400d", available: "90d" },
      ],
    });
    const view = simulate([root, child], cfg, { auditAfterNs: 120n * DAY });
    expect(view.stored.map((s) => [s.stream, s.archived])).toEqual([
      ["long", true],
      ["long", true],
    ]);
    expect(view.losses.map((l) => [l.stage, l.cause, l.spanId])).toEqual([
      ["short/store", "retention", child.spanId],
      ["short/store", "retention", root.spanId],
    ]);
    // the audit is 120d after the run's last span end (10s): the child ended 8s earlier
    expect(view.losses[0]!.detail).toBe("120d8s old at audit time, past the stream's retention of 30d");
    expect(view.streams.map((s) => [s.name, s.retentionNs, s.availableNs])).toEqual([
      ["short", 30n * DAY, 30n * DAY],
      ["long", 400n * DAY, 90n * DAY],
    ]);
    const fresh = simulate([root, child], cfg, { auditAfterNs: DAY });
    expect(fresh.stored.every((s) => !s.archived)).toBe(true);
  });

  it("reports linkage fields the store does not keep, per record", () => {
    const cfg = config({ streams: [{ name: "s", correlation: ["traceId", "spanId"] }] });
    const view = simulate([root, child], cfg, { auditAfterNs: 0n });
    expect(view.stored.map((s) => s.missingLinks)).toEqual([["parentSpanId"], []]);
    expect(view.stored[0]!.record.parentSpanId).toBe(root.spanId); // ids stay intact
    expect(view.losses).toEqual([
      {
        traceId: child.traceId,
        spanId: child.spanId,
        stream: "s",
        stage: "s/store",
        cause: "correlation",
        target: { type: "link", field: "parentSpanId" },
        detail: "the store of stream s keeps traceId, spanId; parentSpanId is not stored",
      },
    ]);
  });

  it("caps values at max_value_length", () => {
    const view = simulate([child], config({ streams: [{ name: "s", max_value_length: 8 }] }), {
      auditAfterNs: 0n,
    });
    expect(view.stored[0]!.record.attributes["prompt"]).toBe("xxxxxxxx");
    expect(view.losses[0]).toMatchObject({
      cause: "truncation",
      target: { type: "attribute", key: "prompt", effect: "truncated" },
    });
    expect(child.attributes["prompt"]).toHaveLength(20);
  });

  it("summarises integrity and the processors that lose nothing", () => {
    const view = simulate(
      [],
      config({
        streams: [
          { name: "s", integrity: "merkle-checkpoints", processors: [{ memory_limiter: {} }, { batch: {} }] },
        ],
      }),
      { auditAfterNs: 0n },
    );
    expect(view.streams[0]!.integrity).toBe("merkle-checkpoints");
    expect(view.streams[0]!.notes).toHaveLength(2);
  });
});

describe("routing", () => {
  it("sends a record to every matching stream, leftovers to the default stream, and loses the rest", () => {
    const llm = span({ kind: "llm", attributes: { "gen_ai.operation.name": "chat" } });
    const tool = span({ kind: "tool", name: "execute_tool search" });
    const other = span({ kind: "other" });
    const streams = [
      { name: "llm", match: { kind: ["llm"] } },
      { name: "chat", match: { attributes: { "gen_ai.operation.name": ["chat", "text_completion"] } } },
      { name: "tools", match: { name: "^execute_tool " } },
    ];
    const lost = simulate([llm, tool, other], config({ streams }), { auditAfterNs: 0n });
    expect(lost.stored.map((s) => `${s.stream}:${s.record.spanId}`)).toEqual([
      `llm:${llm.spanId}`,
      `chat:${llm.spanId}`,
      `tools:${tool.spanId}`,
    ]);
    expect(lost.losses).toEqual([
      {
        traceId: other.traceId,
        spanId: other.spanId,
        stage: "routing",
        cause: "routing",
        target: { type: "record" },
        detail:
          "no stream matched (llm (kind llm), chat (attributes gen_ai.operation.name), tools (name /^execute_tool /)) and no stream is default: true",
      },
    ]);
    const withDefault = simulate(
      [llm, other],
      config({ streams: [...streams, { name: "rest", match: { default: true } }] }),
      { auditAfterNs: 0n },
    );
    expect(withDefault.stored.map((s) => s.stream)).toEqual(["llm", "chat", "rest"]);
    expect(withDefault.losses).toHaveLength(0);
  });
});
