import { describe, expect, it } from "vitest";
import { config } from "../testing/logging-configs.js";
import { span } from "../testing/records.js";
import { simulate } from "./simulate.js";

describe("routing", () => {
  const chat = span({ startS: 0, endS: 1, attributes: { "gen_ai.operation.name": "chat" } });
  const other = span({ startS: 0, endS: 2, attributes: { "policy.decision": "deny" } });

  it("routes by an OTTL condition, as the collector's routing connector does", () => {
    const cfg = config({
      streams: [
        { name: "llm", match: { ottl: 'attributes["gen_ai.operation.name"] != nil' } },
        { name: "rest", match: { default: true } },
      ],
    });
    const view = simulate([chat, other], cfg, { auditAfterNs: 0n });
    expect(view.stored.map((s) => [s.stream, s.record.spanId])).toEqual([
      ["llm", chat.spanId],
      ["rest", other.spanId],
    ]);
    expect(view.losses).toEqual([]);
  });

  it("reports a condition outside the OTTL subset and routes nothing through it", () => {
    const cfg = config({ streams: [{ name: "llm", match: { ottl: 'HasPrefix(name, "chat")' } }] });
    const view = simulate([chat], cfg, { auditAfterNs: 0n });
    expect(view.unknown.map((u) => [u.stage, u.construct])).toEqual([["routing", "streams.llm.match.ottl"]]);
    expect(view.losses.map((l) => [l.cause, l.stage])).toEqual([["routing", "routing"]]);
  });

  it("reports a condition that fails on a record instead of reading it as no match in silence", () => {
    // Indexing a string attribute fails (ctxutil GetMapValue: "type Str does not support string indexing").
    const cfg = config({
      streams: [
        { name: "llm", match: { ottl: 'attributes["gen_ai.operation.name"]["x"] == "y"' } },
        { name: "rest", match: { default: true } },
      ],
    });
    const view = simulate([chat, chat], cfg, { auditAfterNs: 0n });
    expect(view.stored.map((s) => s.stream)).toEqual(["rest", "rest"]);
    expect(view.unknown).toHaveLength(1);
    expect(view.unknown[0]!.message).toMatch(
      /^evaluation failed \(type Str does not support string indexing\)/,
    );
  });
});
